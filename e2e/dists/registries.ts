// The two registries the dists tool reads: Maven Central (through `mvn`, which resolves transitive
// dependencies and caches in ~/.m2) and PyPI (through `python3 -m pip download`). Plus the prerequisite check
// that names the Debian package for whatever is missing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Runs a program, streaming nothing; rejects with its exit code and the tail of its output. */
export function run(program: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', (e) => reject(new Error(`cannot run ${program}: ${e.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${program} ${args.join(' ')} exited with ${code}:\n${out.slice(-3000)}`))));
  });
}

const PREREQUISITES: ReadonlyArray<{ what: string; check: [string, string[]]; install: string }> = [
  { what: 'java', check: ['java', ['-version']], install: 'apt-get install -y openjdk-17-jre-headless' },
  { what: 'mvn', check: ['mvn', ['-v']], install: 'apt-get install -y maven' },
  { what: 'python3 -m pip', check: ['python3', ['-m', 'pip', '--version']], install: 'apt-get install -y python3-pip' },
];

/** Missing prerequisites, each with the command that installs it (empty when everything is there). */
export function missingPrerequisites(): string[] {
  return PREREQUISITES.filter((p) => spawnSync(p.check[0], p.check[1], { stdio: 'ignore' }).status !== 0).map((p) => `${p.what} (${p.install})`);
}

/**
 * Copies `coords` (group:artifact:version) and their runtime dependencies into `into`, through a generated pom.
 * `excludes` (group:artifact, `*` allowed) are cut from every dependency's tree.
 */
export async function mavenResolve(coords: readonly string[], into: string, workDir: string, excludes: readonly string[] = []): Promise<string[]> {
  const exclusions = excludes
    .map((e) => e.split(':'))
    .map(([g, a]) => `<exclusion><groupId>${g}</groupId><artifactId>${a ?? '*'}</artifactId></exclusion>`)
    .join('');
  const dependencies = coords
    .map((c) => {
      const [g, a, v] = c.split(':');
      if (!g || !a || !v) throw new Error(`Maven coordinates must be group:artifact:version, got '${c}'`);
      return `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version><exclusions>${exclusions}</exclusions></dependency>`;
    })
    .join('\n');
  const pomDir = path.join(workDir, `maven-${Date.now()}`);
  mkdirSync(pomDir, { recursive: true });
  writeFileSync(
    path.join(pomDir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>mesos-ts.dists</groupId>` +
      `<artifactId>resolve</artifactId><version>1</version><packaging>pom</packaging><dependencies>\n${dependencies}\n</dependencies></project>\n`,
  );
  mkdirSync(into, { recursive: true });
  await run('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${into}`, '-DincludeScope=runtime'], { cwd: pomDir });
  return readdirSync(into)
    .filter((f) => f.endsWith('.jar'))
    .map((f) => path.join(into, f));
}

/** Downloads one distribution file of `spec` (name==version) from PyPI, without dependencies. */
export async function pipDownload(spec: string, workDir: string): Promise<string> {
  const into = path.join(workDir, `pip-${Date.now()}`);
  mkdirSync(into, { recursive: true });
  await run('python3', ['-m', 'pip', 'download', '--no-deps', '--disable-pip-version-check', '-d', into, spec]);
  const [file] = readdirSync(into);
  if (file === undefined) throw new Error(`pip download ${spec} produced no file`);
  return path.join(into, file);
}
