// Claim verdicts that follow the figure beside them: in each section of the essay, when a reader moves a
// parameter of a figure with controls (its compact controls set the element's attribute), the claims
// figures of the same section without controls of their own take the same value, so the verdict is
// recomputed for what the reader now sees. Only the parameters one configuration shares are passed on;
// a claims figure with its own controls (C4 at scale 0.25) keeps its own. Attributes only, no text.
const kSharedAttributes = ['n', 'd', 'scale', 'seed', 'precision', 'rope', 'repeat'];

function followersOf(figure) {
  const section = figure.closest('section');
  if (!section) return [];
  return [...section.querySelectorAll('attn-figure[kind="claims"]')]
    .filter((claims) => claims !== figure && !claims.hasAttribute('controls'));
}

function passOn(figure, name) {
  const value = figure.getAttribute(name);
  for (const follower of followersOf(figure)) {
    if (value === null) follower.removeAttribute(name);
    else if (follower.getAttribute(name) !== value) follower.setAttribute(name, value);
  }
}

// Watches every figure with controls under root (the document by default).
export function linkFigures(root = document) {
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      const figure = mutation.target;
      if (figure.localName !== 'attn-figure' || !figure.hasAttribute('controls') || figure.getAttribute('kind') === 'claims') continue;
      passOn(figure, mutation.attributeName);
    }
  });
  observer.observe(root, { subtree: true, attributes: true, attributeFilter: kSharedAttributes });
  return observer;
}

linkFigures();
