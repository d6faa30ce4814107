"""What people see of an analysis: tables, cards and sentences in the chosen
language (:mod:`.views`), chart specifications as Altair objects
(:mod:`.charts`) and chart images (:mod:`.images`)."""
