import { ProxiedSignInPage } from '@backstage/core-components';
import { IdentityApi } from '@backstage/core-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import {
  Button,
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  Container,
  Flex,
  Text,
} from '@backstage/ui';
import { useState } from 'react';

/** The demo's two ways in, both proxy providers of the demo backend. */
export const DEMO_SIGN_INS = [
  {
    provider: 'demo-admin',
    title: 'Platform admin',
    description:
      'Carol Lindqvist, a member of the platform group: listed in mcpGateway.admins and granted mcp-gateway.admin, so she sees the admin page and can stop agents.',
  },
  {
    provider: 'guest',
    title: 'Guest',
    description:
      'Signed in, but not an admin: the admin page says so and the admin API refuses.',
  },
] as const;

/** Where the choice is remembered, so that a reload signs in again. */
export const SIGN_IN_STORAGE_KEY = '@mcp-gateway/demo-app/sign-in';

/**
 * The demo app's sign-in page: pick one of the demo identities; the
 * backend's provider of that name signs you in. Signing out forgets the
 * choice.
 */
export function DemoSignInPage({ onSignInSuccess }: SignInPageProps) {
  const [provider, setProvider] = useState(
    () => localStorage.getItem(SIGN_IN_STORAGE_KEY) ?? undefined,
  );
  const choose = (chosen: string | undefined) => {
    if (chosen) localStorage.setItem(SIGN_IN_STORAGE_KEY, chosen);
    else localStorage.removeItem(SIGN_IN_STORAGE_KEY);
    setProvider(chosen);
  };

  if (provider) {
    return (
      <ProxiedSignInPage
        provider={provider}
        onSignInSuccess={identity =>
          onSignInSuccess(forgettingOnSignOut(identity))
        }
        ErrorComponent={({ error }) => (
          <SignInFailed error={error} onBack={() => choose(undefined)} />
        )}
      />
    );
  }
  return (
    <Container>
      <Flex direction="column" gap="6" py="8">
        <Text as="h1" variant="title-large">
          Sign in to the MCP gateway demo
        </Text>
        <Flex gap="4" direction={{ initial: 'column', md: 'row' }}>
          {DEMO_SIGN_INS.map(signIn => (
            <Card key={signIn.provider} style={{ flex: 1 }}>
              <CardHeader>
                <Text as="h2" variant="title-small">
                  {signIn.title}
                </Text>
              </CardHeader>
              <CardBody>
                <Text>{signIn.description}</Text>
              </CardBody>
              <CardFooter>
                <Button onPress={() => choose(signIn.provider)}>
                  Sign in as {signIn.title.toLowerCase()}
                </Button>
              </CardFooter>
            </Card>
          ))}
        </Flex>
      </Flex>
    </Container>
  );
}

function SignInFailed({
  error,
  onBack,
}: {
  error?: Error;
  onBack: () => void;
}) {
  return (
    <Container>
      <Flex direction="column" gap="4" py="8">
        <Text as="h1" variant="title-large">
          Sign-in failed
        </Text>
        <Text>{error?.message ?? 'The backend refused the sign-in.'}</Text>
        <Flex>
          <Button onPress={onBack}>Choose another sign-in</Button>
        </Flex>
      </Flex>
    </Container>
  );
}

/** The same identity, but signing out also forgets the demo choice. */
function forgettingOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      localStorage.removeItem(SIGN_IN_STORAGE_KEY);
      await identity.signOut();
    },
  };
}
