// The anywidget front end of eoslab.Figure: mounts an <eoslab-figure> (defined by pkg/eoslab.js,
// which `cargo xtask build` puts in front of this file in python/eoslab/static/eoslab-figure.js)
// and keeps it and the widget model in step:
// - the model's `spec` (set from Python) is given to the element, which redraws;
// - each `result` event of the element (after a control moved, or a new spec) sets the model's
//   `result`, its `spec` (as the controls left it), `_svg` and `_png` (each panel's SVG text and
//   base64 PNG, for Figure.to_svg / to_png and the figure's static HTML), and clears `error`;
// - each `error` event sets `error` to {field, message}.
// pkg/eoslab.js may be evaluated more than once in a page (each widget's module is imported from
// its own blob: URL); the element is defined only once.

const ELEMENT = 'eoslab-figure';

function sameJson(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
}

function blobToBase64(blob) {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(blob);
    });
}

function panelsOf(model) {
    return model.get('panels').split(/\s+/).filter(Boolean);
}

async function exports(figure, panels, format) {
    const out = {};
    for (const panel of panels.length ? panels : [undefined]) {
        const value = format === 'svg' ? await figure.toSVG(panel) : await figure.toPNG(panel);
        // SVG as text; PNG as base64, whether the element gives a Blob or a data: URL.
        out[panel ?? ''] = value instanceof Blob ? await blobToBase64(value) : String(value).replace(/^data:[^,]*;base64,/, '');
    }
    return out;
}

function render({ model, el }) {
    const figure = document.createElement(ELEMENT);
    if (model.get('panels')) figure.setAttribute('panels', model.get('panels'));
    if (model.get('controls')) figure.setAttribute('controls', model.get('controls'));
    figure.spec = model.get('spec');
    el.appendChild(figure);

    const onResult = async (event) => {
        if (!sameJson(figure.spec, model.get('spec'))) model.set('spec', figure.spec);
        model.set('result', event.detail);
        model.set('error', {});
        model.set('_svg', await exports(figure, panelsOf(model), 'svg'));
        model.set('_png', await exports(figure, panelsOf(model), 'png'));
        model.save_changes();
    };
    const onError = (event) => {
        const { field = '', message = String(event.detail) } = event.detail ?? {};
        model.set('error', { field, message });
        model.save_changes();
    };
    const onSpec = () => {
        if (!sameJson(figure.spec, model.get('spec'))) figure.spec = model.get('spec');
    };
    figure.addEventListener('result', onResult);
    figure.addEventListener('error', onError);
    model.on('change:spec', onSpec);
    return () => {
        figure.removeEventListener('result', onResult);
        figure.removeEventListener('error', onError);
        model.off('change:spec', onSpec);
        figure.remove();
    };
}

export default { render };
