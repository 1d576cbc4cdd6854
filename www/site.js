// The site's chrome: the header's links between the pages, the current one marked.

/** The site's pages, in the order the header lists them. */
export const PAGES = [
  ['index.html', 'Double-well explorer'],
  ['zoo.html', 'Objective zoo'],
  ['bifurcation.html', 'Bifurcation explorer'],
  ['basin.html', 'Basin maps'],
  ['dynamics.html', 'GD, flow and self-stabilization'],
];

/** Fills every `nav.site-nav` with the links to the pages, the current one marked. */
export function siteNav() {
  const here = location.pathname.split('/').pop() || 'index.html';
  for (const nav of document.querySelectorAll('nav.site-nav')) {
    nav.replaceChildren(
      ...PAGES.map(([href, title]) => {
        const a = document.createElement('a');
        a.href = href;
        a.textContent = title;
        if (href === here) a.setAttribute('aria-current', 'page');
        return a;
      }),
    );
  }
}
