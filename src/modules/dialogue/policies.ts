import { definePolicies } from '../../platform/auth/policies.ts'
import { hasRole, type User } from '../../platform/auth/roles.ts'

definePolicies({
  // A body's editors (the head's delegates) and its head moderate, forward and answer its questions,
  // and keep its blog.
  'dialogue.manage': (user: User, body: { agencyId: number }) =>
    hasRole(user, 'agency-editor', body.agencyId) || hasRole(user, 'agency-head', body.agencyId),
})

definePolicies({
  // Any signed-in person may ask (their address confirmed, which the service checks).
  'dialogue.ask': () => true,
})
