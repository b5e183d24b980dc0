// `npm test`: type-check, lint, formatting, layers, build, then every suite: unit and integration
// (vitest), browser (Playwright in real Chromium) and the Electron security scan. Prints the counts
// of each and a total; a skipped test fails the run, since a skip is not a pass.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const reports = join(root, '.test-output');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const bin = (name) => join(root, 'node_modules/.bin', name);

const steps = [];
function run(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${[command, ...args].map((a) => a.replace(root + '/', '')).join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  steps.push({ name, ok });
  return ok;
}

run('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
// The same commands as `npm run lint`, `npm run format:check` and `npm run layers`.
run('lint', bin('eslint'), ['--max-warnings', '0', '.']);
run('format', bin('prettier'), ['--check', '.']);
run('layers', bin('depcruise'), ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'shared', 'electron', 'renderer/src', 'server', 'tests', 'bench']);
const built = run('build', bin('electron-vite'), ['build']);

const vitestJson = join(reports, 'vitest.json');
run('unit + integration', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);

const playwrightJson = join(reports, 'playwright.json');
if (built) {
  run('browser (e2e)', bin('playwright'), ['test', '--project=e2e', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightJson,
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  });
  run('electron security', process.execPath, [join(root, 'tests/security/electronegativity.mjs')]);
} else {
  steps.push({ name: 'browser (e2e)', ok: false }, { name: 'electron security', ok: false });
}

const suites = [];
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  for (const suite of ['unit', 'renderer', 'integration']) {
    const tests = report.testResults.filter((file) => file.name.includes(`/tests/${suite}/`)).flatMap((file) => file.assertionResults);
    suites.push({
      name: suite,
      passed: tests.filter((t) => t.status === 'passed').length,
      failed: tests.filter((t) => t.status === 'failed').length,
      skipped: tests.filter((t) => ['skipped', 'pending', 'todo', 'disabled'].includes(t.status)).length,
    });
  }
  // A file that failed to load has no assertions: count it as a failure, not as nothing.
  const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
  if (brokenFiles > 0) suites.push({ name: 'unloadable test files', passed: 0, failed: brokenFiles, skipped: 0 });
} else {
  suites.push({ name: 'unit + integration (no report)', passed: 0, failed: 1, skipped: 0 });
}
if (existsSync(playwrightJson)) {
  const { stats } = JSON.parse(readFileSync(playwrightJson, 'utf8'));
  suites.push({ name: 'e2e', passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped });
} else {
  suites.push({ name: 'e2e (no report)', passed: 0, failed: 1, skipped: 0 });
}
const security = steps.find((s) => s.name === 'electron security');
suites.push({ name: 'security', passed: security?.ok ? 1 : 0, failed: security?.ok ? 0 : 1, skipped: 0 });

console.log('\n=== Summary');
for (const step of steps) console.log(`${step.ok ? 'ok  ' : 'FAIL'} ${step.name}`);
for (const s of suites) console.log(`${s.name}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
const total = suites.reduce((t, s) => ({ passed: t.passed + s.passed, failed: t.failed + s.failed, skipped: t.skipped + s.skipped }), {
  passed: 0,
  failed: 0,
  skipped: 0,
});
const ok = steps.every((s) => s.ok) && total.failed === 0 && total.skipped === 0;
if (total.skipped > 0) console.log(`${total.skipped} test(s) skipped: a skip is not a pass; make them run.`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(ok ? 0 : 1);
