// Vite query imports used by the tests: `?raw` gives a file's text, any other query a fresh module copy.
declare module '*?raw' {
  const text: string
  export default text
}
declare module '*?second-copy'
