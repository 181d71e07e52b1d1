"""Sandwell: evidence for the WT2018 compliance checklist (hook ``compliance_evidence``)."""
