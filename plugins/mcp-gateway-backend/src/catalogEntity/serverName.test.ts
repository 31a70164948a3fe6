import { serverNameFor, serverNameProblem } from './serverName';

describe('serverNameFor', () => {
  it.each([
    [
      'https://backstage.example.com/api/mcp-gateway',
      'mcp-gateway',
      'com.example.backstage/mcp-gateway',
    ],
    [
      'http://localhost:7007/api/mcp-gateway',
      'mcp-gateway',
      'localhost/mcp-gateway',
    ],
    [
      'https://portal.acme.example:8443/backstage/api/mcp-gateway',
      'backstage',
      'example.acme.portal/backstage',
    ],
    [
      'http://10.0.0.5:7007/api/mcp-gateway',
      'mcp-gateway',
      '10.0.0.5/mcp-gateway',
    ],
    ['http://[::1]:7007/api/mcp-gateway', 'mcp-gateway', '--1/mcp-gateway'],
  ])('derives %s (%s) as %s', (url, name, expected) => {
    expect(serverNameFor(url, name)).toBe(expected);
    // Whatever it derives is a valid name.
    expect(serverNameProblem(expected)).toBeUndefined();
  });
});

describe('serverNameProblem', () => {
  it.each([
    'com.example/backstage',
    'io.github.acme/backstage_mcp',
    'localhost/mcp-gateway',
  ])('accepts %s', name => {
    expect(serverNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['no namespace', 'backstage'],
    ['two slashes', 'com.example/a/b'],
    ['a space', 'com.example/back stage'],
    ['an underscore in the namespace', 'com_example/backstage'],
    ['an empty name', 'com.example/'],
    ['too long', `com.example/${'a'.repeat(190)}`],
  ])('refuses %s', (_what, name) => {
    expect(serverNameProblem(name)).toMatch(
      /^must be a namespaced MCP server name/,
    );
  });
});
