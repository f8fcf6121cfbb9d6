// Run one Python script under real Pyodide (xlwings Lite's runtime) in node, offline.
//   node run.js PYODIDE_DIR WHEELS_DIR PROJECT_DIR DATA_DIR SCRIPT [ARG...]
// Mounts the project at /proj and DATA_DIR at /data, installs every wheel in WHEELS_DIR with
// micropip from local files (nothing from a CDN), then runs SCRIPT (a path inside the project)
// as __main__ with sys.argv = [SCRIPT, ARG...].
// The script's stdout is this process's stdout; a Python exception exits 1.
const path = require("path");
const fs = require("fs");
const [pyodideDir, wheels, project, data, script, ...args] = process.argv.slice(2);
(async () => {
  const { loadPyodide } = require(path.join(path.resolve(pyodideDir), "pyodide.js"));
  const py = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/" });
  for (const [host, mount] of [[wheels, "/wheels"], [project, "/proj"], [data, "/data"]]) {
    py.FS.mkdirTree(mount);
    py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(host) }, mount);
  }
  py.setStdout({ batched: (s) => console.log(s) });
  py.setStderr({ batched: (s) => console.error(s) });
  const micropip = fs.readdirSync(wheels).find((f) => f.startsWith("micropip-"));
  await py.loadPackage(path.join(path.resolve(wheels), micropip));
  await py.runPythonAsync(`
import os, sys, micropip
sys.dont_write_bytecode = True
await micropip.install(sorted("emfs:/wheels/" + f for f in os.listdir("/wheels")
                              if f.endswith(".whl") and not f.startswith("micropip")))
sys.path.insert(0, "/proj")
`);
  const inside = "/proj/" + path.relative(path.resolve(project), path.resolve(script));
  py.globals.set("ARGV", py.toPy([inside, ...args]));
  await py.runPythonAsync(`
import runpy, sys
sys.argv = list(ARGV)
runpy.run_path(sys.argv[0], run_name="__main__")
`);
})().catch((e) => {
  console.error(String(e));
  process.exit(1);
});
