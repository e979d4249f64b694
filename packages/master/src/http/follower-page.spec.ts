import { describe, expect, it } from 'vitest';
import { followerPage, wantsFollowerPage } from './follower-page.js';

describe('the page a non-leading master shows a browser', () => {
  it('names the leader, links there and follows it', () => {
    const html = followerPage({ hostname: '127.0.0.2', port: 5050 });
    expect(html).toContain('href="//127.0.0.2:5050/"');
    expect(html).toContain('>127.0.0.2:5050</a>');
    expect(html).toContain('content="2;url=//127.0.0.2:5050/"');
  });

  it('reloads itself while no leader is elected', () => {
    const html = followerPage(undefined);
    expect(html).toContain('No leading master is elected yet');
    expect(html).toContain('http-equiv="refresh" content="2"');
  });

  it('escapes what the leader advertised', () => {
    expect(followerPage({ hostname: '"><script>', port: 1 })).not.toContain('<script>');
  });

  it('is for browsers asking for the UI only', () => {
    expect(wantsFollowerPage('GET', '/', 'text/html,application/xhtml+xml')).toBe(true);
    expect(wantsFollowerPage('GET', '/', '*/*')).toBe(false);
    expect(wantsFollowerPage('GET', '/master/state', 'text/html')).toBe(false);
    expect(wantsFollowerPage('POST', '/', 'text/html')).toBe(false);
  });
});
