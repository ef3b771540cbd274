import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { cliEnv, runCli, startCli, type CliResult } from './support/cli.js';
import { readmeCodeBlocks } from './support/readme.js';
import { freePort } from './support/server-process.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { delayWorkflow, failWorkflow, SEED_DEFINITION } from './support/workflows.js';

/** A workflow file as `runloom pull` writes it (the export document, docs/cli.md). */
function workflowDocument(slug: string, definition: unknown, extra: Record<string, unknown> = {}) {
  return {
    runloom: 'workflow/v1',
    slug,
    name: `The ${slug} workflow`,
    description: null,
    definition,
    versions: [],
    schedules: [],
    requires: { workflows: [], secrets: [] },
    ...extra,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_MATCH = expect.stringMatching(UUID);

describe('runloom CLI', () => {
  let t: TestApp;
  let base: string;
  let home: string;
  let work: string;
  const cli = (...args: string[]) => runCli(home, args);
  const api = (method: 'get' | 'post', url: string) => t.http[method](url).set('X-API-Key', ADMIN_KEY);
  const bySlug = async (slug: string) => (await api('get', `/v1/workflows?slug=${slug}`)).body.items[0];
  const expectExit = (result: CliResult, code: number) => {
    if (result.code !== code)
      throw new Error(`exit ${result.code}, wanted ${code}\n${result.stdout}\n${result.stderr}`);
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    home = await mkdtemp(path.join(tmpdir(), 'runloom-cli-'));
    work = path.join(home, 'work');
  });
  afterAll(async () => {
    await t?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  describe('usage', () => {
    it('answers 2 with the usage for no command, an unknown one, a missing argument or a bad option', async () => {
      const none = await cli();
      expectExit(none, 2);
      expect(none.stdout).toContain('Usage: runloom <command>');
      expect(none.stdout).toContain('runs replay');

      const unknown = await cli('deploy', 'x');
      expectExit(unknown, 2);
      expect(unknown.stderr).toContain('runloom: Unknown command: deploy');
      expect(unknown.stderr).toContain('Usage: runloom <command>');

      const missing = await cli('run');
      expectExit(missing, 2);
      expect(missing.stderr).toContain('Missing <slug>');
      expect(missing.stderr).toContain('Usage: runloom run <slug> [options]');

      const badOption = await cli('runs', 'get', 'x', '--colour');
      expectExit(badOption, 2);
      expect(badOption.stderr).toMatch(/Unknown option '--colour'/);

      const both = await cli('tail');
      expectExit(both, 2);
      expect(both.stderr).toContain('Give either a workflow slug or --session <id>');
    });

    it("prints every command's help with --help, and exits 0", async () => {
      for (const command of [['push'], ['pull'], ['run'], ['runs', 'list'], ['runs', 'retry'], ['tail'], ['login']]) {
        const help = await cli(...command, '--help');
        expectExit(help, 0);
        expect(help.stdout).toContain(`Usage: runloom ${command.join(' ')}`);
      }
      expect((await cli('runs', '--help')).stdout).toContain('runs stop');
    });

    it('is an executable script with a node shebang, as npx and npm link run it', async () => {
      expect((await stat('dist/cli/main.js')).mode & 0o111).toBe(0o111);
      expect((await readFile('dist/cli/main.js', 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
      const { stdout } = await promisify(execFile)(path.resolve('dist/cli/main.js'), ['--help']);
      expect(stdout).toContain('Usage: runloom <command>');
    });

    it('says how to log in when there is no stored key, without sending anything', async () => {
      const result = await cli('runs', 'list');
      expectExit(result, 2);
      expect(result.stderr).toContain('Not logged in: run `runloom login <url>`');
    });
  });

  describe('login', () => {
    it("refuses a wrong key with the server's answer, and stores nothing", async () => {
      const result = await cli('login', base, '--key', 'rl_not_a_key_of_this_server_000000000000');
      expectExit(result, 1);
      expect(result.stderr).toMatch(/\(401\)/);
      await expect(stat(path.join(home, 'config/runloom/config.json'))).rejects.toThrow();
    });

    it('says clearly that an unreachable server cannot be reached', async () => {
      const result = await cli('login', `http://127.0.0.1:${await freePort()}`, '--key', ADMIN_KEY);
      expectExit(result, 1);
      expect(result.stderr).toContain('Cannot reach the Runloom server at http://127.0.0.1:');
      expect(result.stderr).not.toContain('    at ');
    });

    it('refuses a URL that is not one', async () => {
      expectExit(await cli('login', 'localhost-3000', '--key', ADMIN_KEY), 2);
    });

    it('checks a key read from standard input and stores it readable by the user only', async () => {
      const result = await runCli(home, ['login', `${base}/`], { stdin: `${ADMIN_KEY}\n` });
      expectExit(result, 0);
      expect(result.stdout).toContain(`Logged in to ${base} (admin key, group default).`);
      const file = path.join(home, 'config/runloom/config.json');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: base, key: ADMIN_KEY });
    });

    it('lets RUNLOOM_URL override the stored server', async () => {
      const result = await runCli(home, ['runs', 'list'], {
        env: { RUNLOOM_URL: `http://127.0.0.1:${await freePort()}` },
      });
      expectExit(result, 1);
      expect(result.stderr).toContain('Cannot reach the Runloom server');
    });
  });

  describe('push and pull', () => {
    const files = () => path.join(work, 'workflows');

    beforeAll(async () => {
      await mkdir(files(), { recursive: true });
      await writeFile(
        path.join(files(), 'answers.yaml'),
        YAML.stringify(workflowDocument('answers', SEED_DEFINITION, { description: 'The seed workflow' })),
      );
      await writeFile(
        path.join(files(), 'fail.json'),
        JSON.stringify(workflowDocument('fail', failWorkflow('no luck'))),
      );
      await writeFile(path.join(files(), 'slow.yml'), YAML.stringify(workflowDocument('slow', delayWorkflow(60_000))));
      await writeFile(path.join(files(), 'README.txt'), 'not a workflow');
    });

    it('push --dry-run shows what would be created and creates nothing (--exit-code: 3)', async () => {
      const result = await cli('push', files(), '--dry-run', '--exit-code');
      expectExit(result, 3);
      expect(result.stdout).toContain('answers (answers.yaml): created');
      expect(result.stdout).toContain('fail (fail.json): created');
      expect(result.stdout).toContain('Would be: 3 created, 0 updated, 0 unchanged.');
      expect(await bySlug('answers')).toBeUndefined();
    });

    it('push creates the workflows; pushing again changes nothing', async () => {
      const first = await cli('push', files());
      expectExit(first, 0);
      expect(first.stdout).toContain('Done: 3 created, 0 updated, 0 unchanged.');
      const created = await bySlug('answers');
      expect(created).toMatchObject({ name: 'The answers workflow', definition: SEED_DEFINITION });

      const again = await cli('push', files());
      expectExit(again, 0);
      expect(again.stdout).toContain('answers (answers.yaml): unchanged');
      expect(again.stdout).toContain('0 created, 0 updated, 3 unchanged.');
      expect(await bySlug('answers')).toMatchObject({ revision: created.revision, updated_at: created.updated_at });
      expectExit(await cli('push', files(), '--dry-run', '--exit-code'), 0);
    });

    it('pull writes every workflow with a slug, which push finds unchanged; those without one are listed', async () => {
      const loose = await api('post', '/v1/workflows').send({ name: 'No slug here', definition: SEED_DEFINITION });
      const pulled = path.join(work, 'pulled');
      const result = await cli('pull', pulled);
      expectExit(result, 0);
      expect((await readdir(pulled)).sort()).toEqual(['answers.yaml', 'fail.yaml', 'slow.yaml']);
      expect(result.stderr).toContain('Skipped 1 workflow without a slug:');
      expect(result.stderr).toContain(`${loose.body.id}  No slug here`);
      const exported = (await api('get', `/v1/workflows/${(await bySlug('answers')).id}/export`)).body;
      expect(YAML.parse(await readFile(path.join(pulled, 'answers.yaml'), 'utf8'))).toEqual(exported);

      const roundTrip = await cli('push', pulled, '--dry-run', '--exit-code');
      expectExit(roundTrip, 0);
      expect(roundTrip.stdout).toContain('0 created, 0 updated, 3 unchanged.');

      const asJson = await cli('pull', path.join(work, 'as-json'), '--format', 'json');
      expectExit(asJson, 0);
      expect(JSON.parse(await readFile(path.join(work, 'as-json', 'fail.json'), 'utf8'))).toMatchObject({
        slug: 'fail',
      });
      expectExit(await cli('pull', pulled, '--format', 'xml'), 2);
    });

    it('an edited file shows as a line diff with its new versions and schedules, then push applies it', async () => {
      const file = path.join(work, 'pulled', 'answers.yaml');
      const document = YAML.parse(await readFile(file, 'utf8'));
      document.definition.nodes[2].config.template = '((q)) / ((c))';
      document.versions.push({ number: 1, description: 'slashes', definition: document.definition });
      document.schedules.push({
        cron: '0 9 * * 1-5',
        timezone: 'UTC',
        version: 1,
        input: { 'User Question': 'scheduled' },
        callback_url: null,
        enabled: false,
        metadata: {},
      });
      await writeFile(file, YAML.stringify(document));

      const preview = await cli('push', path.join(work, 'pulled'), '--dry-run');
      expectExit(preview, 0);
      expect(preview.stdout).toContain('answers (answers.yaml): updated');
      expect(preview.stdout).toContain('--- answers (server)');
      expect(preview.stdout).toContain('+++ answers.yaml');
      expect(preview.stdout).toContain('-        template: ((q)) — ((c))');
      expect(preview.stdout).toContain('+        template: ((q)) / ((c))');
      expect(preview.stdout).toContain('  version 1: created');
      expect(preview.stdout).toContain('  schedule "0 9 * * 1-5": created');
      expect((await bySlug('answers')).definition.nodes[2].config.template).toBe('((q)) — ((c))');

      const pushed = await cli('push', path.join(work, 'pulled'));
      expectExit(pushed, 0);
      expect(pushed.stdout).toContain('Done: 0 created, 1 updated, 2 unchanged.');
      const answers = await bySlug('answers');
      expect(answers.definition.nodes[2].config.template).toBe('((q)) / ((c))');
      expect((await api('get', `/v1/workflows/${answers.id}/versions`)).body.items).toHaveLength(1);
      expectExit(await cli('push', path.join(work, 'pulled'), '--dry-run', '--exit-code'), 0);
    });

    it('names the file that cannot be read or parsed, and exits 1', async () => {
      const broken = path.join(work, 'broken');
      await mkdir(broken);
      await writeFile(path.join(broken, 'ok.json'), JSON.stringify(workflowDocument('ok', SEED_DEFINITION)));
      await writeFile(path.join(broken, 'bad.yaml'), 'slug: [unclosed\n  name: x');
      const malformed = await cli('push', broken);
      expectExit(malformed, 1);
      expect(malformed.stderr).toContain(`${path.join(broken, 'bad.yaml')} is not valid YAML`);

      await writeFile(path.join(broken, 'bad.yaml'), '- just\n- a list\n');
      expect((await cli('push', broken)).stderr).toContain('bad.yaml must hold one workflow document');

      await rm(path.join(broken, 'bad.yaml'));
      await symlink(path.join(work, 'deleted.yaml'), path.join(broken, 'linked.yaml'));
      const unreadable = await cli('push', broken);
      expectExit(unreadable, 1);
      expect(unreadable.stderr).toContain(`Cannot read ${path.join(broken, 'linked.yaml')}`);

      const missing = await cli('push', path.join(work, 'nowhere'));
      expectExit(missing, 1);
      expect(missing.stderr).toContain(`Cannot read the directory ${path.join(work, 'nowhere')}`);
      expect(await bySlug('ok')).toBeUndefined();
    });

    it("prints the server's refusal with each error under its file, and imports none of the files", async () => {
      const refused = path.join(work, 'refused');
      await mkdir(refused);
      await writeFile(path.join(refused, 'a-good.json'), JSON.stringify(workflowDocument('good', SEED_DEFINITION)));
      const badDefinition = { nodes: [{ id: 'x', type: 'NoSuchNode', config: {} }], edges: [] };
      await writeFile(path.join(refused, 'b-bad.yaml'), YAML.stringify(workflowDocument('bad', badDefinition)));
      const result = await cli('push', refused);
      expectExit(result, 1);
      expect(result.stderr).toContain('The server refused the import');
      expect(result.stderr).toMatch(/- b-bad\.yaml: .*NoSuchNode/);
      expect(await bySlug('good')).toBeUndefined();
    });
  });

  describe('runs', () => {
    it('run queues by default and prints the run id; --sync prints the output from k=v and @file.json', async () => {
      const queued = await cli('run', 'answers', '--input', 'User Question=queued');
      expectExit(queued, 0);
      expect(queued.stdout.trim()).toMatch(UUID);

      await writeFile(path.join(work, 'input.json'), JSON.stringify({ 'User Question': 'from file', Context: 'file' }));
      const sync = await cli(
        'run',
        'answers',
        '--input',
        '@' + path.join(work, 'input.json'),
        '-i',
        'Context=override',
        '--sync',
      );
      expectExit(sync, 0);
      expect(JSON.parse(sync.stdout)).toEqual({ Answer: 'from file / override' });

      const versioned = await cli('run', 'answers', '--version', '1', '-i', 'User Question=v1', '--sync', '--json');
      expectExit(versioned, 0);
      expect(JSON.parse(versioned.stdout)).toMatchObject({
        workflow_version_id: UUID_MATCH,
        output: { Answer: 'v1 / ' },
      });
      expect((await cli('run', 'answers', '--version', '9')).stderr).toContain('Workflow "answers" has no version 9');

      const json = await cli('run', 'answers', '-i', 'User Question=q', '--sync', '--json');
      expectExit(json, 0);
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 'completed', output: { Answer: 'q / ' } });
    });

    it('run --follow prints a progress line per node event, then the output', async () => {
      const result = await cli('run', 'answers', '-i', 'User Question=followed', '--follow');
      expectExit(result, 0);
      expect(result.stderr).toMatch(/node\.completed prompt in \d+ ms/);
      expect(result.stderr).toContain('[4/4] node.completed answer');
      expect(result.stderr).toContain('run.completed');
      expect(JSON.parse(result.stdout)).toEqual({ Answer: 'followed / ' });
    });

    it('a run that fails exits 1 with its error; an input the workflow refuses is the problem printed', async () => {
      const failed = await cli('run', 'fail', '--sync');
      expectExit(failed, 1);
      expect(failed.stderr).toMatch(/failed at node boom: no luck/);
      const followed = await cli('run', 'fail', '--follow');
      expectExit(followed, 1);
      expect(followed.stderr).toContain('node.failed    boom: no luck');

      const refused = await cli('run', 'answers', '-i', 'Nope=1', '--sync');
      expectExit(refused, 1);
      expect(refused.stderr).toContain('(422)');
      expect(refused.stderr).toMatch(/- input.*Nope/);
      expect((await cli('run', 'no-such-slug')).stderr).toContain('No workflow with the slug "no-such-slug"');
      const noFile = await cli('run', 'answers', '-i', '@' + path.join(work, 'missing.json'));
      expectExit(noFile, 1);
      expect(noFile.stderr).toContain(`Cannot read input file ${path.join(work, 'missing.json')}`);
      expectExit(await cli('run', 'answers', '--version', 'latest'), 2);
      expectExit(await cli('run', 'answers', '--sync', '--follow'), 2);
    });

    it('runs list filters by workflow and status; runs get shows a run', async () => {
      const list = await cli('runs', 'list', '--workflow', 'fail', '--status', 'failed', '--json');
      expectExit(list, 0);
      const page = JSON.parse(list.stdout);
      expect(page.items).toHaveLength(2);
      const failId = (await bySlug('fail')).id;
      expect(
        page.items.every(
          (run: { status: string; workflow_id: string }) => run.status === 'failed' && run.workflow_id === failId,
        ),
      ).toBe(true);

      const human = await cli('runs', 'list', '--workflow', 'answers', '--status', 'completed,failed', '--limit', '2');
      expectExit(human, 0);
      const lines = human.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^[0-9a-f-]{36} {2}completed/);
      expect(lines.at(-1)).toContain('--cursor ');

      const get = await cli('runs', 'get', page.items[0].id);
      expectExit(get, 0);
      expect(get.stdout).toContain('status    failed');
      expect(get.stdout).toContain('error     boom: no luck');
      const unknown = await cli('runs', 'get', '00000000-0000-4000-8000-000000000000');
      expectExit(unknown, 1);
      expect(unknown.stderr).toContain('(404)');
      expectExit(await cli('runs', 'list', '--status', 'sleeping'), 1);
      const labelled = await cli('runs', 'list', '--metadata', 'customer=acme', '--json');
      expectExit(labelled, 0);
      expect(JSON.parse(labelled.stdout)).toEqual({ items: [], next_cursor: null });
      expectExit(await cli('runs', 'list', '--metadata', 'customer'), 2);
    });

    it('runs stop stops a run (1 when it had finished); retry and replay make new runs', async () => {
      const slow = (await cli('run', 'slow')).stdout.trim();
      const stop = await cli('runs', 'stop', slow);
      expectExit(stop, 0);
      expect(stop.stdout).toMatch(/stop/);
      const again = await cli('runs', 'stop', slow);
      expectExit(again, 1);
      expect(again.stderr).toContain('(409)');

      const failedRun = JSON.parse((await cli('runs', 'list', '--workflow', 'fail', '--json')).stdout).items[0].id;
      const retry = await cli('runs', 'retry', failedRun, '--sync');
      expectExit(retry, 1);
      const retries = JSON.parse((await cli('runs', 'list', '--retry-of', failedRun, '--json')).stdout).items;
      expect(retries).toHaveLength(1);

      const answered = JSON.parse(
        (await cli('runs', 'list', '--workflow', 'answers', '--status', 'completed', '--json')).stdout,
      ).items[0];
      const replay = await cli('runs', 'replay', answered.id, '--sync', '--json');
      expectExit(replay, 0);
      expect(JSON.parse(replay.stdout)).toMatchObject({
        replay_of: answered.id,
        status: 'completed',
        output: answered.output,
      });
      const queued = await cli('runs', 'replay', answered.id);
      expect(queued.stdout.trim()).toMatch(UUID);
    });
  });

  describe('tail', () => {
    /** Starts runs until `printed(runId)` (the tail follows live from some moment after it starts). */
    async function runUntilTailed(printed: (runId: string) => boolean, start: () => Promise<string>): Promise<string> {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const runId = await start();
        for (let i = 0; i < 20; i++) {
          if (printed(runId)) return runId;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      throw new Error('the tail printed no completed run');
    }

    it("prints the live events of a workflow's runs, one line each, and no other workflow's", async () => {
      const tail = await startCli(home, ['tail', 'answers']);
      const answers = await bySlug('answers');
      const fail = await bySlug('fail');
      const runId = await runUntilTailed(
        (id) => tail.stdout().includes(`${id.slice(0, 8)} run.completed`),
        async () => {
          await api('post', `/v1/workflows/${fail.id}/runs/sync`).send({ input: {} });
          const run = await api('post', `/v1/workflows/${answers.id}/runs/sync`).send({
            input: { 'User Question': 't' },
          });
          return run.body.id;
        },
      );
      await tail.stop();
      const lines = tail.stdout().split('\n');
      expect(lines.filter((line) => line.includes(` ${runId.slice(0, 8)} `))).toEqual(
        expect.arrayContaining([expect.stringMatching(/node\.started {3}question \(InputNode\)$/)]),
      );
      expect(tail.stdout()).not.toContain('node.failed');
    });

    it("prints a debugger session's events, as JSON lines with --json", async () => {
      const tail = await startCli(home, ['tail', '--session', 'cli-debug', '--json']);
      const events = () =>
        tail
          .stdout()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { event: string; data: Record<string, unknown> });
      const runId = await runUntilTailed(
        (id) => events().some((event) => event.event === 'run.completed' && event.data.run_id === id),
        async () => {
          const run = await cli(
            'run',
            'answers',
            '-i',
            'User Question=debugged',
            '--debugger',
            'cli-debug',
            '--sync',
            '--json',
          );
          return JSON.parse(run.stdout).id;
        },
      );
      await tail.stop();
      const prompt = events().find(
        (event) => event.event === 'node.completed' && event.data.run_id === runId && event.data.node_id === 'prompt',
      );
      expect(prompt?.data.outputs).toEqual({ text: 'debugged / ' });
    });
  });

  it('logout forgets the key', async () => {
    const result = await cli('logout');
    expectExit(result, 0);
    expect(result.stdout).toContain('Removed');
    expectExit(await cli('runs', 'list'), 2);
    expect((await cli('logout')).stdout).toContain('Not logged in.');
  });
});

describe("the README's walkthrough (Workflows in git), run verbatim", () => {
  let t: TestApp;
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as { port: number };
    home = await mkdtemp(path.join(tmpdir(), 'runloom-readme-'));
    // What `npm link` gives a reader: `runloom` on the PATH, a link to the built script.
    await mkdir(path.join(home, 'bin'));
    await symlink(path.resolve('dist/cli/main.js'), path.join(home, 'bin', 'runloom'));
    const workflow = await t.http
      .post('/v1/workflows')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'Beginner answers', definition: SEED_DEFINITION });
    env = {
      ...cliEnv(home),
      PATH: `${path.join(home, 'bin')}:${process.env.PATH}`,
      RUNLOOM_URL: `http://127.0.0.1:${port}`,
      RUNLOOM_API_KEY: ADMIN_KEY,
      WORKFLOW_ID: workflow.body.id,
      GIT_AUTHOR_NAME: 'Reader',
      GIT_AUTHOR_EMAIL: 'reader@example.com',
      GIT_COMMITTER_NAME: 'Reader',
      GIT_COMMITTER_EMAIL: 'reader@example.com',
    };
  });
  afterAll(async () => {
    await t?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const blocks = () => readmeCodeBlocks('cli-walkthrough', 'bash');
  const bash = (script: string) => promisify(execFile)('bash', ['-e', '-c', script], { env, cwd: home });

  it('pulls, edits, pushes and runs', async () => {
    expect(blocks()).toHaveLength(2);
    const pulled = await bash(blocks()[0]);
    expect(pulled.stdout).toContain('answers -> answers.yaml');
    expect(YAML.parse(await readFile(path.join(home, 'workflows', 'answers.yaml'), 'utf8'))).toMatchObject({
      slug: 'answers',
      name: 'Beginner answers',
    });

    const pushed = await bash(blocks()[1]);
    expect(pushed.stdout).toContain('answers (answers.yaml): updated');
    expect(pushed.stdout).toContain('+        template: "Q: ((q)) (context: ((c)))"');
    expect(pushed.stdout).toContain('Done: 0 created, 1 updated, 0 unchanged.');
    expect(pushed.stdout).toContain('"Answer": "Q: What is a DAG? (context: )"');
    expect(pushed.stdout).toContain('"Answer": "Q: And a node? (context: )"');
    expect(pushed.stderr).toContain('run.completed');
  });
});
