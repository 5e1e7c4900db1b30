const parts = process.argv.slice(2);
require("@pulumi/pulumi");
for (const p of parts) {
  if (p === "got") import("got").then(()=>{});
  else require(p.startsWith(".") ? "/work/main/dist/" + p.slice(2) : p);
}
setTimeout(() => { global.gc(); const m = process.memoryUsage(); console.log(parts.join("+")||"base", "rss", (m.rss/1048576).toFixed(1), "heapUsed", (m.heapUsed/1048576).toFixed(1)); }, 500);
