import { describe, expect, it } from 'vitest';
import { archiveKind, gunzippedName } from './archive-kind.js';
import { FetchStepError } from './fetch-error.js';
import { destinationName, parseSource, relativePathProblem } from './uri.js';

describe('parseSource', () => {
  it.each([
    ['http://127.0.0.1:8080/a/b.tgz', 'http', 'http://127.0.0.1:8080/a/b.tgz'],
    ['HTTPS://example.org/x', 'http', 'https://example.org/x'],
    ['file:///opt/dist/kafka.tgz', 'file', '/opt/dist/kafka.tgz'],
    ['file://localhost/opt/a%20b.txt', 'file', '/opt/a b.txt'],
    ['/opt/dist/../dist/kafka.tgz', 'file', '/opt/dist/kafka.tgz'],
  ])('%s is a %s source', (value, kind, where) => {
    const source = parseSource(value);
    expect(source.kind).toBe(kind);
    expect(source.kind === 'http' ? source.url.href : source.path).toBe(where);
  });

  it.each([
    ['relative/path.tgz', /not an absolute path or URL/],
    ['hdfs://namenode/x.tgz', /unsupported scheme 'hdfs:'/],
    ['ftp://host/x', /unsupported scheme 'ftp:'/],
    ['file://otherhost/x', /must name a local file/],
    ['http://[bad', /malformed URL/],
  ])('rejects %s', (value, message) => {
    expect(() => parseSource(value)).toThrow(FetchStepError);
    expect(() => parseSource(value)).toThrow(message);
  });
});

describe('destinationName', () => {
  it.each([
    ['http://h/dist/kafka.tgz', undefined, 'kafka.tgz'],
    ['http://h/dist/my%20file.txt?x=1', undefined, 'my file.txt'],
    ['/opt/tool.sh', undefined, 'tool.sh'],
    ['http://h/download', 'bin/tool', 'bin/tool'],
    ['http://h/download', './a//b.txt', 'a/b.txt'],
    ['http://h/x.tgz', '', 'x.tgz'],
  ])('%s with output_file %s lands at %s', (value, outputFile, expected) => {
    expect(destinationName(parseSource(value), outputFile)).toBe(expected);
  });

  it.each([
    ['http://h/', undefined, /no file name; set output_file/],
    ['http://h/x', '../escape', /contains '\.\.'/],
    ['http://h/x', 'a/../../escape', /contains '\.\.'/],
    ['http://h/x', '/etc/passwd', /is absolute/],
    ['http://h/x', 'dir/', /names a directory/],
    ['http://h/x', '.', /names a directory/],
  ])('%s with output_file %s is refused', (value, outputFile, message) => {
    expect(() => destinationName(parseSource(value), outputFile)).toThrow(message);
  });
});

describe('relativePathProblem', () => {
  it.each([
    ['a/b/c', undefined],
    ['./a', undefined],
    ['a..b/..c', undefined],
    ['../a', "contains '..'; it must stay inside the sandbox"],
    ['/a', 'is absolute; give a path relative to the sandbox'],
    ['a\0b', 'contains a NUL byte'],
  ])('%j → %s', (path, problem) => {
    expect(relativePathProblem(path)).toBe(problem);
  });
});

describe('archiveKind', () => {
  it.each([
    ['a.tar', 'tar'],
    ['a.tar.gz', 'tar'],
    ['A.TGZ', 'tar'],
    ['a.tar.bz2', 'tar'],
    ['a.tbz2', 'tar'],
    ['a.tar.xz', 'tar'],
    ['a.txz', 'tar'],
    ['a.zip', 'zip'],
    ['notes.txt.gz', 'gz'],
    ['a.txt', undefined],
    ['.gz', undefined],
    ['tar', undefined],
  ])('%s → %s', (name, kind) => {
    expect(archiveKind(name)).toBe(kind);
  });

  it('names the gunzipped file without .gz', () => {
    expect(gunzippedName('notes.txt.gz')).toBe('notes.txt');
  });
});
