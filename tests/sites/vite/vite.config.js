// base './': the built pages link their files relatively, so the site works under any path.
export default { base: './' };
