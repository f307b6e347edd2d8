import { describe, expect, it } from 'vitest';
import { bearerTokenRefusal } from './bearer-token';

const token = 'a-token-of-enough-length-1234';

describe('bearerTokenRefusal', () => {
  it('lets every call through when the service has no token', () => {
    expect(bearerTokenRefusal(undefined, undefined)).toBeUndefined();
    expect(bearerTokenRefusal(undefined, 'Bearer anything')).toBeUndefined();
  });

  it('lets the right token through, whatever the scheme spelling', () => {
    expect(bearerTokenRefusal(token, `Bearer ${token}`)).toBeUndefined();
    expect(bearerTokenRefusal(token, `bearer ${token}`)).toBeUndefined();
  });

  it('refuses a call without a bearer token as UNAUTHENTICATED', () => {
    for (const authorization of [undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', token]) {
      expect(bearerTokenRefusal(token, authorization)?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses another token as PERMISSION_DENIED, and says nothing of the right one', () => {
    for (const sent of [`${token}x`, token.slice(1), 'short']) {
      const refusal = bearerTokenRefusal(token, `Bearer ${sent}`);
      expect(refusal?.code).toBe('PERMISSION_DENIED');
      expect(refusal?.message).not.toContain(token);
    }
  });
});
