// `+ Create`: Marathon's form (ID, CPUs, Memory, Disk, Instances, Command) with a JSON mode for everything else.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';

export function CreateDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [json, setJson] = useState(false);
  const [form, setForm] = useState({ id: '', cpus: '0.1', mem: '32', disk: '0', instances: '1', cmd: '' });
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => { ref.current?.showModal(); }, []);
  const fromForm = (): Record<string, unknown> => ({ id: form.id, cmd: form.cmd, cpus: Number(form.cpus), mem: Number(form.mem), disk: Number(form.disk), instances: Number(form.instances) });
  const toggle = (): void => {
    if (!json) setText(JSON.stringify(fromForm(), null, 2));
    setJson(!json);
  };
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      await api.create(json ? JSON.parse(text) : fromForm());
      onClose();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const field = (key: keyof typeof form, label: string, type = 'text') => (
    <label>{label}<input name={key} type={type} step="any" value={form[key]} onInput={(e) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value })} /></label>
  );
  return (
    <dialog ref={ref} onClose={onClose} aria-label="Create application">
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <h2>New application</h2>
        <button type="button" onClick={toggle}>{json ? 'Form mode' : 'JSON mode'}</button>
        {json ? <label>JSON<textarea name="json" rows={14} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} /></label> : (
          <>
            {field('id', 'ID')}{field('cpus', 'CPUs', 'number')}{field('mem', 'Memory (MiB)', 'number')}{field('disk', 'Disk (MiB)', 'number')}
            {field('instances', 'Instances', 'number')}{field('cmd', 'Command')}
          </>
        )}
        {error && <div class="banner error" role="alert">{error}</div>}
        <div class="filters"><button type="submit" class="primary">Create Application</button><button type="button" onClick={onClose}>Cancel</button></div>
      </form>
    </dialog>
  );
}
