import { HostileCase, modernRequest, rpc } from './hostileCase';
import {
  HUGE_STRING,
  LONE_SURROGATES,
  LOOKALIKES,
  TRAVERSALS,
} from './hostileValues';
import { SAMPLES } from './samples';
import { expand, variablesOf } from './surface';

/** Every variable of a resource template, in turn, given a hostile value. */
export function resourceCases(template: {
  name: string;
  uriTemplate: string;
}): HostileCase[] {
  const segmentValues = [
    '..',
    '%2e%2e',
    'a%2Fb',
    '%2F',
    '',
    '*',
    'x:y',
    '%00',
    'p%D0%B0yments-api',
    LOOKALIKES[0],
    LONE_SURROGATES[0],
    HUGE_STRING,
  ];
  return variablesOf(template.uriTemplate).flatMap(variable =>
    (variable === 'path' ? TRAVERSALS : segmentValues).map(
      (value): HostileCase => ({
        name: `${template.name} resource: {${variable}} ${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? '…' : ''}`,
        body: rpc('resources/read', {
          uri: expand(template.uriTemplate, { ...SAMPLES, [variable]: value }),
        }),
      }),
    ),
  );
}

/** URIs of no template at all, and resources/read itself malformed. */
export function resourceUriCases(): HostileCase[] {
  const entity = 'backstage://entity/component/default/payments-api';
  const read = (uri: unknown) => rpc('resources/read', { uri });
  return [
    ...[
      'file:///etc/passwd',
      'http://169.254.169.254/latest/meta-data/',
      'backstage://hostile/x',
      'backstage://entity',
      'backstage://',
      '',
      HUGE_STRING,
      ` ${entity}`,
      `${entity}/extra`,
      `${entity}?x=1`,
      `${entity}#x`,
      'BACKSTAGE://entity/component/default/payments-api',
      'backstage://entity/component/default/payments-api/../../../',
      'backstage://techdocs/default/component/payments-api/..%2f..%2f..%2fetc%2fpasswd',
    ].map((uri): HostileCase => ({
      name: `resources/read of ${JSON.stringify(uri.slice(0, 60))}${uri.length > 60 ? '…' : ''}`,
      body: read(uri),
    })),
    { name: 'resources/read without a uri', body: rpc('resources/read', {}) },
    { name: 'resources/read with a uri that is a number', body: read(5) },
    {
      name: 'resources/read with a uri that is an object',
      body: read({ href: entity }),
    },
    {
      name: 'resources/read in the 2026-07-28 form, of an unknown scheme',
      ...modernRequest('resources/read', { uri: 'file:///etc/passwd' }),
    },
  ];
}
