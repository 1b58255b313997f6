/** The typed principal accessor every adapter's `requireSession` guard carries. */
export interface PrincipalAccessor<TPrincipal> {
  /**
   * The principal `validate` gave for a request this guard let through (the session's value without
   * `validate`, or when it returned `true`). `SessionError('INVALID_OPERATION')` for a request the
   * guard did not let through.
   */
  principal(request: object): TPrincipal
}
