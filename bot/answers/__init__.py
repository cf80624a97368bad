"""The municipality's answer library: the bot's topic answers as data that staff own and edit.

- `document`: one answer (titles, texts, parts for follow-up questions, examples, sources) and the
  checks that decide whether it may be published (clear language, known placeholders);
- `models`: the tables (beside the case queue, changed only through Alembic migrations);
- `store`: create, edit (with a version check), publish, archive, history and restore;
- `catalogue`: the starter catalogue in `data/answers/` (one YAML file per LOS theme), loaded into
  the database without overwriting a municipality's edits, and exported in the same format;
- `render`: an answer as the bot gives it, filled from `kommune.yml` in the conversation's language;
- `live`, `index`, `selection`: the published answers each process holds, and the ranking of them
  for a question;
- `trial`: what the bot would do with a question, for the editor's «Prøv et spørsmål» box;
- `editing`: the editor's form in the desk, read into an answer, and its live preview;
- `review`: the questions the bot could not answer, for the editors to teach it.
"""
