// The site's chrome: the header's links between the pages, the current one marked.

/** The site's pages (paths from www/), in the order the header lists them. */
export const PAGES = [
  ['index.html', 'Double-well explorer'],
  ['zoo.html', 'Objective zoo'],
  ['bifurcation.html', 'Bifurcation explorer'],
  ['basin.html', 'Basin maps'],
  ['dynamics.html', 'GD, flow and self-stabilization'],
  ['papers/index.html', 'Paper gallery'],
];

/**
 * Fills every `nav.site-nav` with the links to the pages, the current one marked; `root` is the
 * path from the page to www/ ('../' on the gallery's pages in www/papers/).
 */
export function siteNav(root = '') {
  const here = new URL(location.href);
  here.hash = '';
  here.search = '';
  for (const nav of document.querySelectorAll('nav.site-nav')) {
    nav.replaceChildren(
      ...PAGES.map(([path, title]) => {
        const a = document.createElement('a');
        a.href = root + path;
        a.textContent = title;
        const target = new URL(a.href);
        const current = target.href === here.href || (here.pathname.endsWith('/') && target.href === new URL('index.html', here).href);
        // A paper's page (papers/000.html …) is marked under the gallery's entry.
        const gallery = path === 'papers/index.html' && /\/papers\/\d{3}\.html$/.test(here.pathname);
        if (current || gallery) a.setAttribute('aria-current', 'page');
        return a;
      }),
    );
  }
}
