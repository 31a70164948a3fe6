import { compiledList, compilePattern, patternProblem } from './patterns';

describe('the pattern dialect', () => {
  it('matches * within a segment and ** across segments', () => {
    const one = compilePattern('https://github.com/acme/*');
    expect(one.test('https://github.com/acme/payments')).toBe(true);
    expect(one.test('https://github.com/acme/payments/blob/main/x.yaml')).toBe(
      false,
    );
    expect(one.test('https://github.com/acme-evil/x')).toBe(false);
    const all = compilePattern('https://github.com/acme/**');
    expect(all.test('https://github.com/acme/payments/blob/main/x.yaml')).toBe(
      true,
    );
    // A wildcard in a host cannot swallow a path.
    const host = compilePattern('https://*.acme.com/**');
    expect(host.test('https://docs.acme.com/x')).toBe(true);
    expect(host.test('https://evil.example/x.acme.com/x')).toBe(false);
  });

  it('treats every other character literally', () => {
    const dotted = compilePattern('spec.profile.email');
    expect(dotted.test('spec.profile.email')).toBe(true);
    expect(dotted.test('specXprofileXemail')).toBe(false);
    expect(compilePattern('get_entity_*').test('get_entity')).toBe(false);
    expect(compilePattern('get_entity*').test('get_entity')).toBe(true);
  });

  it('is case-sensitive unless given a fold', () => {
    expect(compilePattern('who_am_i').test('WHO_AM_I')).toBe(false);
    const folded = compilePattern('template:default/*', {
      fold: s => s.toLowerCase(),
    });
    expect(folded.test('Template:Default/New-Service')).toBe(true);
  });

  it.each([
    ['!refresh_entity', "'!'"],
    ['{get,list}_entity', "'{'"],
    ['@(get|list)_entity', "'('"],
    ['+(x)', "'('"],
    ['get_entit?', "'?'"],
    ['[gl]et_entity', "'['"],
    ['get\\_entity', "'\\'"],
    ['#comment', "'#'"],
  ])('refuses %s', (pattern, character) => {
    expect(patternProblem(pattern)).toContain(character);
    expect(() => compilePattern(pattern)).toThrow(/Invalid pattern/);
  });

  it('refuses empty patterns and runs of three stars', () => {
    expect(patternProblem('')).toBe('must not be empty');
    expect(patternProblem('a***')).toMatch(/three or more/);
    expect(patternProblem('a**')).toBeUndefined();
  });
});

describe('compiledList', () => {
  it('compiles a config list once, exact or case-insensitive', () => {
    const list = ['template:default/*'];
    const exact = compiledList(list);
    expect(compiledList(list)).toBe(exact);
    expect(exact[0].test('template:default/new-service')).toBe(true);
    expect(exact[0].test('Template:Default/New-Service')).toBe(false);
    const folded = compiledList(list, { caseInsensitive: true });
    expect(folded).not.toBe(exact);
    expect(folded[0].test('Template:Default/New-Service')).toBe(true);
    // A reloaded config's list is another list, compiled afresh.
    expect(compiledList([...list])).not.toBe(exact);
  });
});
