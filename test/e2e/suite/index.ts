// Entry point the extension host calls (the contract of @vscode/test-electron and of VS Code's
// `extensionTestsPath`): run every *.test.js next to this file with mocha and settle with the result.
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** Files that must run in this order (training state carries from one to the next); others run between. */
const FIRST = ['activation.test.js', 'training.test.js'];
const LAST = ['commands.test.js'];

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 180_000, reporter: 'spec' });
  const grep = process.env.LATENT_LAB_E2E_GREP;
  if (grep) mocha.grep(grep);

  // The host's console does not always reach the terminal (under code-server it goes to the browser), so the
  // reporter's lines are also written to a file the runner prints.
  const reportFile = process.env.LATENT_LAB_E2E_REPORT;
  if (reportFile) {
    writeFileSync(reportFile, '');
    const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
    const original = base.consoleLog;
    base.consoleLog = (...args: unknown[]) => {
      original(...args);
      appendFileSync(reportFile, `${format(...args)}\n`);
    };
  }

  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js'));
  const middle = files.filter((f) => !FIRST.includes(f) && !LAST.includes(f)).sort();
  for (const f of [...FIRST, ...middle, ...LAST]) if (files.includes(f)) mocha.addFile(join(__dirname, f));

  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host tests failed`)) : resolve()));
    } catch (error) {
      reject(error);
    }
  });
}
