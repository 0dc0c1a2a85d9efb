// Svelte compiler options shared by vite and svelte-check.
export default { compilerOptions: { runes: true } };
