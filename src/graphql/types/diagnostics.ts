import { type Check, runChecks } from '../../diagnostics/checks.js';
import { builder } from '../builder.js';

const DiagnosticStatus = builder.enumType('DiagnosticStatus', {
  values: {
    OK: { description: 'Works.' },
    WARN: { description: 'Works, with a caveat the detail names.' },
    FAIL: { description: 'Broken: the detail says what to do.' },
  } as const,
});

const DiagnosticCheckRef = builder.objectRef<Check>('DiagnosticCheck').implement({
  description: 'One of the checks `herald doctor` prints.',
  fields: (t) => ({
    name: t.exposeString('name'),
    status: t.field({ type: DiagnosticStatus, resolve: (c) => c.status }),
    detail: t.exposeString('detail'),
  }),
});

builder.queryField('diagnostics', (t) =>
  t.field({
    type: [DiagnosticCheckRef],
    authScopes: { admin: true },
    description:
      "Herald's own checks: database and migrations, Redis when configured, whether the public URL leads back to a Herald, where each channel of your tenant is routed, and whether each of your enabled providers accepts its credentials (FAIL on bad credentials or an unreachable provider, WARN when the kind cannot be checked); asked by the operator, the installation's providers from the environment too.",
    resolve: (_root, _args, ctx) => runChecks(ctx.services.diagnostics, ctx.principal),
  }),
);
