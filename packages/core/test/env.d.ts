// Vite query imports used by the tests: `?raw` gives a file's text, any other query a fresh module copy.
declare module '*?raw' {
  const text: string
  export default text
}
declare module '*?second-copy'
declare module '*?third-copy'

// Vite's import.meta.glob, as the portability test uses it (vite/client types stay out of core's tsconfig).
interface ImportMeta {
  glob<T>(pattern: string, options: { query: string; import: string; eager: true }): Record<string, T>
}
