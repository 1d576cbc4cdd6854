// The exercise pages (index.html, student.html, teacher.html): a classic script, like the data and
// checker it reads (exercises.js) and the core (../../pkg/eoslab.classic.js), so the pages work
// from an unzipped folder opened from file:// as well as from a server. The checking is in
// check.js; this file only renders exercises and keeps the student's progress in localStorage.
(() => {
  'use strict';
  const { exercises, papers, levels, check, describe, rememberingRun } = globalThis.EoslabExercises;
  const byId = new Map(exercises.map((e) => [e.id, e]));
  const PAPER_ORDER = Object.keys(papers);
  const PROGRESS_KEY = 'eoslab.exercises.progress';

  /** An element with attributes and children (strings become text). */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === 'html') node.innerHTML = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (value !== false && value !== undefined) node.setAttribute(key, value === true ? '' : value);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }

  const levelText = (e) => `Level ${e.level}: ${e.level_name}`;
  const paperShort = (key) => (key === 'cohen' ? 'Cohen et al. 2021' : `Paper ${key}`);

  // ---------------------------------------------------------------------------------------------
  // The core: loaded once, its runs remembered (reference specs repeat for every answer, and an
  // exercise's questions often ask about its figure's own run).

  let core = null;
  async function loadCore() {
    if (!core) {
      if (!globalThis.eoslab) throw new Error('the eoslab core (pkg/eoslab.classic.js) did not load');
      const module = await globalThis.eoslab;
      core = { module, run: rememberingRun((spec) => module.run(spec)) };
    }
    return core;
  }

  // ---------------------------------------------------------------------------------------------
  // Progress: {exercises: {exercise id: {answers: {question id: {answer, ok, feedback}}, hints,
  // solution}}, last: {set: the exercise last opened in it}}.

  /** Progress kept in memory while the browser refuses to store it (private mode, quota). */
  let unsaved = null;
  function loadProgress() {
    if (unsaved) return structuredClone(unsaved);
    try {
      return JSON.parse(localStorage.getItem(PROGRESS_KEY)) ?? {};
    } catch {
      return {};
    }
  }
  function saveProgress(progress) {
    try {
      localStorage.setItem(PROGRESS_KEY, JSON.stringify(progress));
      unsaved = null;
    } catch {
      unsaved = structuredClone(progress);
    }
  }
  function exerciseProgress(progress, id) {
    progress.exercises ??= {};
    return (progress.exercises[id] ??= { answers: {}, hints: 0, solution: false });
  }

  // ---------------------------------------------------------------------------------------------
  // The live figure. This adapter draws with the core's existing exports (drawTrajectory,
  // drawDynamics, BifurcationFigure); the <eoslab-figure> element will replace it (same inputs: the
  // figure's spec, panels and controls).

  /** Draws `figure` (spec, panels, controls, caption) into a new <figure>; `live` adds its controls. */
  function liveFigure(figure, { live = true } = {}) {
    const spec = structuredClone(figure.spec);
    const canvases = figure.panels.map((panel) => el('canvas', { class: 'panel', role: 'img', 'aria-label': `${panel} panel` }));
    const summary = el('p', { class: 'figure-summary', 'aria-live': 'polite' });
    const fields = {};
    const form = el('form', { class: 'figure-controls', novalidate: true });
    for (const name of live ? figure.controls : []) {
      const value = name === 'x0' ? (spec.x0 ?? []).join(', ') : String(spec.eta);
      const label = name === 'x0' ? 'start x₀' : 'learning rate η';
      const input = el('input', { name, value, inputmode: 'decimal', autocomplete: 'off', 'aria-describedby': `${name}-error-${figure.line}` });
      const error = el('span', { class: 'field-error', id: `${name}-error-${figure.line}`, role: 'alert' });
      fields[name] = { input, error };
      form.append(el('label', {}, `${label} `, input), error);
    }
    if (live && figure.controls.length) form.append(el('button', { type: 'submit' }, 'Run'));
    const node = el('figure', { class: 'live-figure' }, form, el('div', { class: 'panels' }, ...canvases), summary, el('figcaption', { html: figure.caption_html }));

    // What the figure shows: a run's result, or a bifurcation diagram kept in the core's memory.
    let shown = null;

    /** Draws what is shown on every canvas at its current size (again after a resize). */
    function paint() {
      if (!shown) return;
      const dpr = window.devicePixelRatio || 1;
      canvases.forEach((canvas, i) => {
        canvas.width = Math.max(1, Math.round(canvas.clientWidth * dpr));
        canvas.height = Math.max(1, Math.round(canvas.clientHeight * dpr));
        if (shown.diagram) shown.diagram.draw(canvas, dpr, NaN);
        else if (spec.kind === 'flow') core.module.drawDynamics(canvas, figure.panels[i], shown.result, dpr, null);
        else core.module.drawTrajectory(canvas, figure.panels[i], shown.result, dpr);
      });
    }

    /** Runs the spec with the controls' values, then paints; a refusal shows beside its control. */
    async function draw() {
      const { module, run } = await loadCore();
      for (const { error } of Object.values(fields)) error.textContent = '';
      for (const [name, { input }] of Object.entries(fields)) {
        spec[name] = name === 'x0' ? input.value.split(/[\s,;]+/).filter(Boolean).map(Number) : Number(input.value);
      }
      try {
        const next = spec.kind === 'bifurcation' ? { diagram: new module.BifurcationFigure(spec) } : { result: run(structuredClone(spec)) };
        shown?.diagram?.free();
        shown = next;
        paint();
      } catch (error) {
        const place = fields[error.field?.split(/[.[]/)[0]];
        if (place) place.error.textContent = error.message;
        else summary.textContent = `The figure could not be drawn: ${error.message}`;
        return;
      }
      summary.textContent = shown.result ? `${describe(shown.result).replace(/^./, (c) => c.toUpperCase())}.` : '';
      canvases.forEach((canvas, i) => canvas.setAttribute('aria-label', `${figure.panels[i]} panel. ${summary.textContent}`));
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      draw();
    });
    let frame = 0;
    new ResizeObserver(() => {
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), paint()));
    }).observe(canvases[0]);
    node.ready = () => draw();
    return node;
  }

  /** Replaces a drawn figure's canvases by images (for print). */
  function freeze(figureNode) {
    for (const canvas of figureNode.querySelectorAll('canvas')) {
      canvas.replaceWith(el('img', { class: 'panel', src: canvas.toDataURL('image/png'), alt: canvas.getAttribute('aria-label') }));
    }
    figureNode.querySelector('form')?.remove();
  }

  // ---------------------------------------------------------------------------------------------
  // Questions

  /** The form of a question: its inputs, and a function reading the answer from them. */
  function answerForm(question) {
    const id = (name) => `${question.id}-${name}`;
    if (question.type === 'choice') {
      const radios = question.options.map((option) =>
        el('label', { class: 'option' }, el('input', { type: 'radio', name: id('choice'), value: String(option.value) }), ` ${option.text}`),
      );
      return {
        inputs: [el('fieldset', {}, el('legend', {}, 'Choose one'), ...radios)],
        read: (form) => form.querySelector('input[type=radio]:checked')?.value ?? '',
        fill: (form, answer) => form.querySelectorAll('input[type=radio]').forEach((r) => (r.checked = r.value === answer)),
      };
    }
    if (question.type === 'numeric') {
      return {
        inputs: [el('label', {}, `Your answer${question.label ? ` (${question.label})` : ''} `, el('input', { name: 'answer', inputmode: 'decimal', autocomplete: 'off' }))],
        read: (form) => form.elements.answer.value,
        fill: (form, answer) => (form.elements.answer.value = answer),
      };
    }
    return {
      inputs: question.inputs.map((input) =>
        el('label', {}, `${input.label} `, el('input', { name: input.name, autocomplete: 'off', placeholder: input.size ? `e.g. ${Array.from({ length: input.size }, (_, i) => i + 1).join(', ')}` : '' })),
      ),
      read: (form) => Object.fromEntries(question.inputs.map((input) => [input.name, form.elements[input.name].value])),
      fill: (form, answer) => question.inputs.forEach((input) => (form.elements[input.name].value = answer[input.name] ?? '')),
    };
  }

  function showFeedback(section, record) {
    section.dataset.state = record.ok ? 'right' : 'wrong';
    const feedback = section.querySelector('.feedback');
    feedback.replaceChildren(el('strong', {}, record.ok ? '✓ Right. ' : '✗ Not yet. '), record.feedback);
  }

  // ---------------------------------------------------------------------------------------------
  // The student page: one exercise of a set at a time.

  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    const set = (params.get('set') ?? '').split(',').filter((id) => byId.has(id));
    return { set: set.length ? set : exercises.map((e) => e.id), ex: params.get('ex') };
  }

  function studentPage() {
    delete document.body.dataset.ready;
    const main = document.getElementById('exercise');
    const { set, ex } = readHash();
    const setKey = set.join(',');
    const progress = loadProgress();
    progress.last ??= {};
    const id = set.includes(ex) ? ex : set.includes(progress.last[setKey]) ? progress.last[setKey] : set[0];
    progress.last[setKey] = id;
    saveProgress(progress);
    const exercise = byId.get(id);
    const mine = exerciseProgress(progress, id);
    const index = set.indexOf(id);
    const link = (target) => `#${new URLSearchParams({ ...(setKey === exercises.map((e) => e.id).join(',') ? {} : { set: setKey }), ex: target })}`;
    document.title = `${exercise.title} · eoslab exercises`;

    const figures = exercise.figures.map((figure) => liveFigure(figure));
    const questions = exercise.questions.map((question, qi) => {
      const form = answerForm(question);
      const section = el('section', { class: 'question', id: `q-${question.id}`, 'aria-labelledby': `q-${question.id}-title` },
        el('h2', { id: `q-${question.id}-title` }, `Question ${qi + 1}`),
        el('div', { class: 'prompt', html: question.prompt_html }));
      const formNode = el('form', { class: 'answer', novalidate: true }, ...form.inputs, el('button', { type: 'submit' }, 'Check'));
      const feedback = el('p', { class: 'feedback', role: 'status', 'aria-live': 'polite' });
      section.append(formNode, feedback);
      formNode.addEventListener('submit', async (event) => {
        event.preventDefault();
        const answer = form.read(formNode);
        feedback.textContent = 'Checking with the core…';
        section.dataset.state = 'checking';
        // Let "Checking…" paint before the core runs (a network's reference run takes seconds).
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        let verdict;
        try {
          verdict = check(question, answer, (await loadCore()).run);
        } catch (error) {
          section.dataset.state = 'failed';
          feedback.textContent = `The checker failed (this is a bug in the exercise, not your answer): ${error.message}`;
          return;
        }
        const record = { answer, ok: verdict.ok, feedback: verdict.feedback };
        showFeedback(section, record);
        const now = loadProgress();
        exerciseProgress(now, id).answers[question.id] = record;
        saveProgress(now);
        updateDone();
      });
      const saved = mine.answers[question.id];
      if (saved) {
        form.fill(formNode, saved.answer);
        showFeedback(section, saved);
      }
      return section;
    });

    const hintList = el('ol', { class: 'hints', 'aria-live': 'polite' });
    const hintButton = el('button', { type: 'button', id: 'hint' });
    const showHints = (count) => {
      hintList.replaceChildren(...exercise.hints.slice(0, count).map((hint) => el('li', { html: hint.html })));
      hintButton.textContent = count < exercise.hints.length ? `Show a hint (${count + 1} of ${exercise.hints.length})` : 'No more hints';
      hintButton.disabled = count >= exercise.hints.length;
    };
    hintButton.addEventListener('click', () => {
      const now = loadProgress();
      const record = exerciseProgress(now, id);
      record.hints = Math.min(exercise.hints.length, record.hints + 1);
      saveProgress(now);
      showHints(record.hints);
      hintList.lastElementChild?.setAttribute('tabindex', '-1');
      hintList.lastElementChild?.focus();
    });
    showHints(mine.hints);

    const solution = el('div', { class: 'solution', id: 'solution', html: exercise.solution.html, hidden: !mine.solution, tabindex: '-1' });
    const solutionButton = el('button', { type: 'button', id: 'show-solution', 'aria-controls': 'solution', 'aria-expanded': String(mine.solution) }, 'Show the worked solution');
    solutionButton.addEventListener('click', () => {
      const now = loadProgress();
      exerciseProgress(now, id).solution = true;
      saveProgress(now);
      solution.hidden = false;
      solutionButton.setAttribute('aria-expanded', 'true');
      solution.focus();
    });

    const done = el('span', { id: 'done' });
    function updateDone() {
      const answers = exerciseProgress(loadProgress(), id).answers;
      const right = exercise.questions.filter((q) => answers[q.id]?.ok).length;
      done.textContent = `${right} of ${exercise.questions.length} questions answered right`;
    }
    updateDone();
    const reset = el('button', { type: 'button', id: 'reset' }, 'Reset my progress');
    reset.addEventListener('click', () => {
      const now = loadProgress();
      for (const each of set) delete now.exercises?.[each];
      saveProgress(now);
      studentPage();
    });

    main.replaceChildren(
      el('p', { class: 'position' }, `Exercise ${index + 1} of ${set.length} · `, done, ' · ', reset),
      el('article', {},
        el('h1', { tabindex: '-1' }, exercise.title),
        el('p', { class: 'meta' }, `${levelText(exercise)} · ${paperShort(exercise.paper)}: ${exercise.phenomenon}`),
        el('details', { class: 'goals' }, el('summary', {}, 'Learning goals'), el('ul', {}, ...exercise.goals.map((goal) => el('li', {}, goal)))),
        el('section', { class: 'statement', html: exercise.statement.html }),
        ...figures,
        ...questions,
        el('section', { class: 'help', 'aria-label': 'Hints and solution' }, hintList, hintButton, ' ', solutionButton, solution),
      ),
      el('nav', { class: 'pager', 'aria-label': 'Exercises of this set' },
        index > 0 ? el('a', { href: link(set[index - 1]), rel: 'prev' }, `← ${byId.get(set[index - 1]).title}`) : el('span'),
        index < set.length - 1 ? el('a', { href: link(set[index + 1]), rel: 'next' }, `${byId.get(set[index + 1]).title} →`) : el('span'),
      ),
    );
    Promise.all(figures.map((figure) => figure.ready()))
      .then(() => (document.body.dataset.ready = '1'))
      .catch((error) => showMessage(error));
  }

  // ---------------------------------------------------------------------------------------------
  // The index: exercises grouped by paper and level.

  function indexPage() {
    const main = document.getElementById('list');
    for (const paper of PAPER_ORDER) {
      const mine = exercises.filter((e) => e.paper === paper);
      if (!mine.length) continue;
      main.append(
        el('section', { class: 'paper' },
          el('h2', {}, `${paperShort(paper)}: ${papers[paper]}`),
          el('ul', {}, ...mine.map((e) => el('li', {}, el('a', { href: `student.html#ex=${e.id}` }, e.title), ` — ${levelText(e)}; ${e.phenomenon}`))),
        ),
      );
    }
    document.body.dataset.ready = '1';
  }

  // ---------------------------------------------------------------------------------------------
  // The teacher page: every exercise with its goals, a link for a chosen set, a printable worksheet.

  function teacherPage() {
    const list = document.getElementById('catalogue');
    const linkOut = document.getElementById('set-link');
    const chosen = () => [...list.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value);
    const updateLink = () => {
      const ids = chosen();
      const href = new URL(`student.html#set=${ids.join(',')}`, location.href).href;
      linkOut.href = href;
      linkOut.textContent = ids.length ? href : '(choose exercises above)';
    };
    for (const level of Object.keys(levels)) {
      const mine = exercises.filter((e) => e.level === Number(level));
      if (!mine.length) continue;
      list.append(
        el('h2', {}, `Level ${level}: ${levels[level]}`),
        ...mine.map((e) =>
          el('div', { class: 'entry' },
            el('label', {}, el('input', { type: 'checkbox', value: e.id, onchange: updateLink }), ' ', el('strong', {}, e.title)),
            el('p', { class: 'meta' }, `${paperShort(e.paper)}: ${e.phenomenon} · ${e.questions.length} questions, ${e.hints.length} hints`),
            el('ul', { class: 'goals' }, ...e.goals.map((goal) => el('li', {}, goal))),
          ),
        ),
      );
    }
    updateLink();
    document.getElementById('make-worksheet').addEventListener('click', () => worksheet(chosen().length ? chosen() : exercises.map((e) => e.id)));
    document.body.dataset.ready = '1';
  }

  /** The printable worksheet of `ids`: statements, static figures, questions with room to answer. */
  async function worksheet(ids) {
    const sheet = document.getElementById('worksheet');
    sheet.hidden = false;
    sheet.replaceChildren(el('p', { role: 'status' }, 'Drawing the figures…'));
    document.body.dataset.worksheet = 'drawing';
    const parts = [];
    for (const id of ids) {
      const e = byId.get(id);
      const figures = e.figures.map((figure) => liveFigure(figure, { live: false }));
      parts.push({ figures, node: el('article', { class: 'sheet' },
        el('h2', {}, e.title),
        el('p', { class: 'meta' }, `${levelText(e)} · ${paperShort(e.paper)}`),
        el('section', { html: e.statement.html }),
        ...figures,
        ...e.questions.map((q, i) => el('section', { class: 'sheet-question' }, el('h3', {}, `Question ${i + 1}`), el('div', { html: q.prompt_html }), el('div', { class: 'answer-space', 'aria-hidden': 'true' }))),
      ) });
    }
    sheet.replaceChildren(...parts.map((part) => part.node));
    for (const part of parts) {
      for (const figure of part.figures) {
        await figure.ready();
        freeze(figure);
      }
    }
    document.body.dataset.worksheet = 'ready';
  }

  function showMessage(error) {
    const message = document.getElementById('message');
    message.textContent = `Something went wrong: ${error.message}`;
    message.hidden = false;
  }

  try {
    ({ student: studentPage, index: indexPage, teacher: teacherPage })[document.body.dataset.page]();
  } catch (error) {
    showMessage(error);
  }
  if (document.body.dataset.page === 'student') {
    window.addEventListener('hashchange', () => {
      studentPage();
      window.scrollTo(0, 0);
      document.querySelector('h1')?.focus();
    });
  }
})();
