// `express4` is Express 4 installed under an alias; its API is typed here by Express 5's types, which
// cover everything these tests call.
declare module 'express4' {
  import express from 'express'
  export default express
}
