"""Import a year's task table (.docx, .xlsx or text exported from Word) as a draft plan.

Stages, one module each: `source` reads the file into paragraphs and table rows; `table` aligns
the cells and finds pillars, groups and campaigns; `notice` reads the covering notice; `phrases`
reads deadlines, periods, thresholds and quotas; `items` splits a target cell into targets;
`build` assembles the plan and its open questions (待确认); `emit` writes YAML with comments;
`report` prints the review list. `questions.open_questions` lets `validate` refuse a draft.
"""
