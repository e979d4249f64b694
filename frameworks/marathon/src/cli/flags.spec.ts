import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';

describe('marathon flags: Mesos authentication', () => {
  it('takes upstream Marathon\'s principal and secret-file flags', () => {
    const r = parseFlags(['--master=127.0.0.1:5050', '--mesos_authentication_principal=marathon', '--mesos_authentication_secret_file=/etc/marathon.secret'], {});
    expect(r.help ? undefined : r.flags).toMatchObject({ principal: 'marathon', secretFile: '/etc/marathon.secret' });
  });

  it('refuses a secret file without a principal', () => {
    expect(() => parseFlags(['--master=m:5050', '--mesos_authentication_secret_file=/s'], {})).toThrow(/needs --mesos_authentication_principal/);
  });

  it('reads them from MARATHON_* too', () => {
    const r = parseFlags(['--master=m:5050'], { MARATHON_MESOS_AUTHENTICATION_PRINCIPAL: 'p' });
    expect(r.help ? undefined : r.flags.principal).toBe('p');
  });
});

describe('marathon flags: --http_credentials', () => {
  it('takes user:password and a realm, from flags or MARATHON_HTTP_CREDENTIALS', () => {
    const r = parseFlags(['--master=m:5050', '--http_credentials=alice:s:cret', '--http_realm=ops'], {});
    expect(r.help ? undefined : r.flags).toMatchObject({ httpCredentials: { user: 'alice', password: 's:cret' }, httpRealm: 'ops' });
    const e = parseFlags(['--master=m:5050'], { MARATHON_HTTP_CREDENTIALS: 'bob:pw' });
    expect(e.help ? undefined : e.flags.httpCredentials).toEqual({ user: 'bob', password: 'pw' });
  });

  it('refuses a value without a user or a password', () => {
    expect(() => parseFlags(['--master=m:5050', '--http_credentials=alice'], {})).toThrow(/user:password/);
  });
});
