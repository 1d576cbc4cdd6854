// The figure's own styles (inside its shadow root): layout (panels first on a phone, controls
// beside them on a wide screen), the readout, stale and busy states, dark mode and print.

export const FIGURE_CSS = `
:host { display: block; background: var(--paper); --ink: #1a1a1a; --muted: #555; --line: #c8c8c8; --paper: #fff; --accent: #0b5cad; --bad: #a40e26; --panel-height: 18rem; color: var(--ink); font: inherit; }
@media (prefers-color-scheme: dark) { :host { --ink: #e8e8e8; --muted: #b4b4b4; --line: #555; --paper: #161616; --accent: #8cc4ff; --bad: #ff9aa8; } }
.layout { display: grid; gap: 0.75rem; grid-template-columns: 1fr; }
.panels { order: 1; display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); }
.side { order: 2; display: grid; gap: 0.5rem; align-content: start; }
:host([controls-first]) .side { order: 0; }
@media (min-width: 60rem) { .layout.with-controls { grid-template-columns: minmax(13rem, 17rem) 1fr; } .layout.with-controls .side { order: 0; } }
figure.panel { margin: 0; min-width: 0; position: relative; }
.band { position: absolute; background: rgba(31, 119, 180, 0.18); border-left: 1px solid rgba(31, 119, 180, 0.8); border-right: 1px solid rgba(31, 119, 180, 0.8); pointer-events: none; }
.band[hidden] { display: none; }
canvas { display: block; width: 100%; height: var(--panel-height); touch-action: pan-y; user-select: none; -webkit-user-select: none; border-radius: 4px; background: #fff; }
canvas:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
figcaption { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 0.5rem; font-size: 0.85rem; color: var(--muted); padding-top: 0.2rem; }
figcaption .title { color: var(--ink); }
figcaption output { font-variant-numeric: tabular-nums; min-height: 1.2em; flex: 1 1 12rem; }
figcaption .problem { color: var(--bad); }
.panels.stale canvas { opacity: 0.35; filter: grayscale(1); }
.bar { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; font-size: 0.85rem; }
.bar .status { flex: 1 1 10rem; color: var(--muted); }
button, .load { box-sizing: border-box; font: inherit; font-size: 0.85rem; padding: 0.3rem 0.6rem; min-height: 2.25rem; border: 1px solid var(--line); border-radius: 4px; background: var(--paper); color: var(--ink); cursor: pointer; }
.load { position: relative; display: inline-flex; align-items: center; box-sizing: border-box; }
.load:focus-within { outline: 3px solid var(--accent); }
.load input { position: absolute; width: 1px; height: 1px; opacity: 0; }
button:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
button[hidden], progress[hidden] { display: none; }
progress { width: 6rem; }
.message { border-left: 4px solid var(--bad); padding: 0.25rem 0.6rem; }
.message p { margin: 0.2rem 0; }
.message p.error { color: var(--bad); }
.message p.info { color: var(--muted); }
.message[hidden] { display: none; }
.controls { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); }
.control { display: grid; gap: 0.1rem; }
.control label { font-weight: 600; font-size: 0.9rem; }
.control input[type=range] { padding: 0; min-height: 1.5rem; }
.control input, .control select { font: inherit; padding: 0.3rem; min-height: 2.25rem; box-sizing: border-box; width: 100%; border: 1px solid var(--line); border-radius: 4px; background: var(--paper); color: var(--ink); }
.control .help { color: var(--muted); font-size: 0.75rem; }
.control .error { color: var(--bad); font-size: 0.85rem; }
.control.invalid input, .control.invalid select { border-color: var(--bad); }
.pins { font-size: 0.8rem; color: var(--muted); }
@media print {
  .bar, .side, figcaption button { display: none !important; }
  .layout, .layout.with-controls { grid-template-columns: 1fr; }
  .panels { grid-template-columns: 1fr; }
  canvas { break-inside: avoid; }
}
`;
