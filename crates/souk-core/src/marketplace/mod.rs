//! Jobs, quotes, invitations, contracts and the job lifecycle.
