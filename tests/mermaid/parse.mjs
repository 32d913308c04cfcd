// Parse many Mermaid diagrams with the real parser and print what Mermaid understood.
//
// stdin:  a JSON array of diagram sources.
// stdout: a JSON array, one object per diagram:
//   {ok: true, type, vertices: [{id, text, type, classes}], edges: [{start, end, text, type,
//    stroke}], subgraphs: [{id, title, nodes}], classes: {name: [styles]}}    (flowcharts)
//   {ok: true, type: "c4", title, shapes: [...], rels: [...], boundaries: [...]}  (C4)
//   {ok: true, type: "sequence", title, actors: [{id, text, type}],
//    messages: [{from, to, text, type}]}  (sequence: signals, notes and block markers
//    in order; `type` is Mermaid's LINETYPE number, e.g. 0 solid, 24 solid async...)
//   {ok: false, error: "message"}
// Texts are given with Mermaid's entity placeholders turned back into HTML entities
// (`#34;` in the source -> `&#34;`), as Mermaid writes them into the SVG.
import { JSDOM } from 'jsdom';

// Mermaid sanitises labels with DOMPurify, which needs a DOM: install jsdom globals first.
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

// Mermaid's own decodeEntities: the parser keeps `#34;` as a placeholder until rendering.
const decode = (s) =>
  s == null ? s : String(s).replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
const text = (t) => decode(t && typeof t === 'object' ? t.text : t);

function flowchart(db) {
  const vertices = [...db.getVertices().values()].map((v) => ({
    id: v.id, text: decode(v.text), type: v.type ?? null, classes: v.classes ?? [],
  }));
  const edges = db.getEdges().map((e) => ({
    start: e.start, end: e.end, text: decode(e.text), type: e.type, stroke: e.stroke,
  }));
  const subgraphs = db.getSubGraphs().map((s) => ({
    id: s.id, title: decode(s.title), nodes: [...s.nodes],
  }));
  const classes = {};
  for (const [name, c] of db.getClasses()) classes[name] = c.styles ?? [];
  return { vertices, edges, subgraphs, classes };
}

function c4(db) {
  return {
    title: decode(db.getTitle()),
    shapes: db.getC4ShapeArray().map((s) => ({
      alias: s.alias, label: text(s.label), techn: text(s.techn) ?? null,
      descr: text(s.descr) ?? null, type: text(s.typeC4Shape), parent: s.parentBoundary,
    })),
    rels: db.getRels().map((r) => ({
      from: r.from, to: r.to, label: text(r.label), techn: text(r.techn) ?? null,
    })),
    boundaries: db.getBoundaries()
      .filter((b) => b.alias !== 'global')
      .map((b) => ({ alias: b.alias, label: text(b.label), parent: b.parentBoundary })),
  };
}

function sequence(db) {
  const actors = [...db.getActors().values()].map((a) => ({
    id: a.name, text: decode(a.description), type: a.type ?? null,
  }));
  const messages = db.getMessages().map((m) => ({
    from: m.from ?? null, to: m.to ?? null, text: decode(text(m.message)) ?? null, type: m.type,
  }));
  return { title: decode(db.getDiagramTitle?.() ?? ''), actors, messages };
}

async function parseOne(src) {
  try {
    await mermaid.parse(src);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(src);
    const db = diagram.db;
    if (typeof db.getVertices === 'function') return { ok: true, type: diagram.type, ...flowchart(db) };
    if (typeof db.getC4ShapeArray === 'function') return { ok: true, type: diagram.type, ...c4(db) };
    if (typeof db.getActorKeys === 'function') return { ok: true, type: diagram.type, ...sequence(db) };
    return { ok: true, type: diagram.type };
  } catch (err) {
    return { ok: false, error: String(err?.message ?? err).split('\n').slice(0, 4).join(' ') };
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const sources = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const results = [];
for (const src of sources) results.push(await parseOne(src));
// Exit only once the write has been flushed: exiting right away truncates a pipe at 64 KiB.
process.stdout.write(JSON.stringify(results), () => process.exit(0));
