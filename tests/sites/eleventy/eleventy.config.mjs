// Run from the site's folder (`npx @11ty/eleventy`). The embeddable folder is copied as is: a passthrough
// copy, and ignored as templates, or Eleventy would render its embed.html as a Liquid page.
export default function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy('attnrank');
  eleventyConfig.addPassthroughCopy('favicon.svg');
  eleventyConfig.ignores.add('attnrank/**');
}
