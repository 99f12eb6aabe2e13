// Builds JSONL manifests (one emoji a line) from emoji-datasource's emoji.json, for `mms train` / `mms eval`.
//   node scripts/emoji-manifest.mjs DEST      reads DEST/node_modules/emoji-datasource-<set>/emoji.json, writes DEST/<set>.jsonl
// and DEST/google+twitter.jsonl (both sets, Google's rows first: the bundled model's training data).
// "image" is relative to DEST (the manifest's folder) and points into img/<set>/64/. Captions: the Unicode name in
// lower case ("grinning face"), then the short names with underscores as spaces, then keywords when the data has them.
import fs from "node:fs";
import path from "node:path";

const dest = process.argv[2];
if (!dest) {
  console.error("usage: node scripts/emoji-manifest.mjs DEST");
  process.exit(2);
}

const sets = ["google", "twitter"];

function captionsOf(emoji) {
  const captions = [];
  const add = (text) => {
    const clean = (text ?? "").toLowerCase().replace(/_/g, " ").replace(/\s+/g, " ").trim();
    if (clean && !captions.includes(clean)) captions.push(clean);
  };
  add(emoji.name);
  (emoji.short_names ?? []).forEach(add);
  (emoji.keywords ?? []).forEach(add);
  return captions;
}

const all = [];
for (const set of sets) {
  const root = path.join(dest, "node_modules", `emoji-datasource-${set}`);
  const data = JSON.parse(fs.readFileSync(path.join(root, "emoji.json"), "utf8"));
  const rows = data
    .filter((e) => e[`has_img_${set}`] && fs.existsSync(path.join(root, "img", set, "64", e.image)))
    .sort((a, b) => a.sort_order - b.sort_order)
    .map((e) => {
      const row = {
        image: path.posix.join("node_modules", `emoji-datasource-${set}`, "img", set, "64", e.image),
        captions: captionsOf(e),
        name: e.name,
        short_names: e.short_names,
        category: e.category,
        has_img_google: e.has_img_google,
        has_img_twitter: e.has_img_twitter,
      };
      if (e.keywords) row.keywords = e.keywords;
      return row;
    })
    .filter((row) => row.captions.length > 0);
  fs.writeFileSync(path.join(dest, `${set}.jsonl`), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  console.error(`emoji-manifest: ${rows.length} emoji -> ${path.join(dest, `${set}.jsonl`)}`);
  all.push(...rows);
}
fs.writeFileSync(path.join(dest, `${sets.join("+")}.jsonl`), all.map((r) => JSON.stringify(r)).join("\n") + "\n");
console.error(`emoji-manifest: ${all.length} images -> ${path.join(dest, `${sets.join("+")}.jsonl`)}`);
