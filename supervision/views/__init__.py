"""Supervision screens on the public site (not the admin), a module per concern: ``roster``
(the supervisor's table and its CSV), ``trainee`` (the page about one trainee and a case's
path), ``sign_off`` (confirming the password, recording and revoking a sign-off, and the
trainee's request for one), ``certificates`` (the trainee's sign-offs, certificates and the
public check of a code), ``cohorts`` (joining with an invite code) and ``account`` (the
person's own data). Each imports ``access`` and the selectors and services, never another
view module. ``supervision.urls`` names them all."""
