import { HeraldError, NotFoundError, ValidationError } from '../errors.js';
import { builder } from './builder.js';

// The domain's expected failures as GraphQL types. Fields list the ones they can return in
// `errors: { types: [...] }`, which makes them members of the field's result union.

export const ErrorInterface = builder.interfaceRef<HeraldError>('Error').implement({
  description: 'An expected failure: the request was understood and refused; nothing changed.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'Input that Herald refuses; `field` names the input that is wrong.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field') }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ resource: t.exposeString('resource') }),
});
