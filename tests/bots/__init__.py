"""Test-wise trainees (issue 15): bots that go through the real forms and try to look competent
without being so. ``pages`` reads and posts the forms, ``players`` holds the strategies, and
``test_bots`` runs them on the seeded content and prints their figures at the end of the run."""
