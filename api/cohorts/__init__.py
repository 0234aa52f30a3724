"""Cohorts: the public list of a course's open batches, a batch's detail, enrolling into one;
the specialist's own batches, editing them, and their rosters (`specialist`)."""
