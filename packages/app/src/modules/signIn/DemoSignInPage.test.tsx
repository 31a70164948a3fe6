import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DemoSignInPage, SIGN_IN_STORAGE_KEY } from './DemoSignInPage';

/** A token shaped like Backstage's: the page reads its expiry. */
const token = [
  { alg: 'ES256' },
  { sub: 'user:default/carol', exp: Math.floor(Date.now() / 1000) + 3600 },
]
  .map(part => btoa(JSON.stringify(part)))
  .concat('signature')
  .join('.');

const carol = {
  profile: {},
  providerInfo: {},
  backstageIdentity: {
    token,
    identity: {
      type: 'user',
      userEntityRef: 'user:default/carol',
      ownershipEntityRefs: ['user:default/carol', 'group:default/platform'],
    },
  },
};

function answer(status: number, body: unknown) {
  return Promise.resolve(
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    }),
  );
}

describe('the demo sign-in page', () => {
  let fetchSpy: jest.SpyInstance;

  beforeEach(() => {
    localStorage.clear();
    fetchSpy = jest.spyOn(global, 'fetch');
  });
  afterEach(() => fetchSpy.mockRestore());

  it('offers both demo identities and signs in through the chosen provider, remembering it', async () => {
    fetchSpy.mockImplementation(() => answer(200, carol));
    const onSignInSuccess = jest.fn();
    await renderInTestApp(<DemoSignInPage onSignInSuccess={onSignInSuccess} />);

    expect(
      screen.getByRole('button', { name: 'Sign in as guest' }),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Sign in as platform admin' }),
    );

    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(String(fetchSpy.mock.calls[0][0])).toMatch(
      /\/auth\/demo-admin\/refresh$/,
    );
    const identity = onSignInSuccess.mock.calls[0][0];
    expect((await identity.getBackstageIdentity()).userEntityRef).toBe(
      'user:default/carol',
    );
    expect(localStorage.getItem(SIGN_IN_STORAGE_KEY)).toBe('demo-admin');

    // Signing out forgets the choice, so the next visit asks again.
    await identity.signOut();
    expect(localStorage.getItem(SIGN_IN_STORAGE_KEY)).toBeNull();
  });

  it('signs in again without asking after a reload', async () => {
    localStorage.setItem(SIGN_IN_STORAGE_KEY, 'guest');
    fetchSpy.mockImplementation(() => answer(200, carol));
    const onSignInSuccess = jest.fn();
    await renderInTestApp(<DemoSignInPage onSignInSuccess={onSignInSuccess} />);
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(String(fetchSpy.mock.calls[0][0])).toMatch(
      /\/auth\/guest\/refresh$/,
    );
    expect(screen.queryByRole('button', { name: /Sign in as/ })).toBeNull();
  });

  it('says why a sign-in failed and lets the user choose again', async () => {
    localStorage.setItem(SIGN_IN_STORAGE_KEY, 'demo-admin');
    fetchSpy.mockImplementation(() =>
      answer(403, {
        error: {
          name: 'NotAllowedError',
          message: 'The demo-admin sign-in only works in development',
        },
      }),
    );
    await renderInTestApp(<DemoSignInPage onSignInSuccess={jest.fn()} />);

    expect(await screen.findByText('Sign-in failed')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Choose another sign-in' }),
    );
    expect(
      screen.getByRole('button', { name: 'Sign in as platform admin' }),
    ).toBeInTheDocument();
    expect(localStorage.getItem(SIGN_IN_STORAGE_KEY)).toBeNull();
  });
});
