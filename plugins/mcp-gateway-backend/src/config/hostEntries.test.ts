import { parseHostEntry } from './hostEntries';

describe('parseHostEntry', () => {
  it.each([
    ['ghe.example.com', { name: 'ghe.example.com' }],
    ['GHE.Example.com', { name: 'ghe.example.com' }],
    ['ghe.example.com.', { name: 'ghe.example.com' }],
    ['ghe.example.com:8443', { name: 'ghe.example.com', port: 8443 }],
    ['*.example.com', { suffix: '.example.com' }],
    ['*.internal', { suffix: '.internal' }],
    ['localhost', { name: 'localhost' }],
    ['build_agent.corp', { name: 'build_agent.corp' }],
    ['10.0.0.5', { address: '10.0.0.5' }],
    ['10.0.0.5:8080', { address: '10.0.0.5', port: 8080 }],
    ['[fd00::1]', { address: 'fd00:0:0:0:0:0:0:1' }],
    ['[fd00::1]:8443', { address: 'fd00:0:0:0:0:0:0:1', port: 8443 }],
    ['fd00::1', { address: 'fd00:0:0:0:0:0:0:1' }],
  ])('reads %j', (entry, expected) => {
    expect(parseHostEntry(entry)).toEqual(expected);
  });

  it.each([
    '',
    '*',
    '*.',
    '**.example.com',
    'ghe.*.example.com',
    'https://ghe.example.com',
    'ghe.example.com/path',
    'ghe.example.com:0',
    'ghe.example.com:65536',
    'ghe.example.com:http',
    '[zz::1]',
    '[fd00::1]:',
    'fd00::zz',
    'user@ghe.example.com',
    'ghe example.com',
    // The Kelvin sign folds to 'k' under toLowerCase: never a host name here.
    'ghe.\u212Aorp.example',
  ])('refuses %j, saying why', entry => {
    expect(parseHostEntry(entry)).toEqual(expect.stringContaining("'"));
  });
});
