# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/servicekontor.tar.gz
# The folders too: a training file removed changes its folder's time, not any file's.
TRAINING_INPUTS := config.yml domain.yml data data/nlu $(wildcard data/*.yml data/nlu/*.yml) $(wildcard bot/nlu/*.py) \
	bot/safety/classifier.py bot/safety/negatives.yml

export PYTHONPATH := $(CURDIR)
export DATABASE_URL ?= sqlite:///$(CURDIR)/var/servicekontor.db
export ACTION_ENDPOINT_URL ?= http://localhost:5055/webhook
export DESK_PORT ?= 8000
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
# No usage telemetry or crash reports leave the municipality's machine.
export RASA_TELEMETRY_ENABLED := false
# Rasa's dependencies print pages of deprecation warnings at start; they say nothing to an operator
# (Rasa's commands run through bot/launch.py, which keeps Sanic from turning them back on).
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: setup train migrate run test lint bench clean check-kommune

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock .python-version
	@bash scripts/make-venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade "pip<25" wheel
	$(VENV)/bin/pip install --quiet -r requirements.lock
	$(RASA) telemetry disable >/dev/null 2>&1 || true
	@touch $@

train: $(MODEL)

$(MODEL): $(TRAINING_INPUTS) | $(VENV)/.installed
	@mkdir -p models
	@# The time is only a from-scratch figure when Rasa's cache (.rasa/cache) was empty.
	@how=$$([ -n "$$(ls -A .rasa/cache 2>/dev/null)" ] && echo "with Rasa's cache" || echo "from scratch"); \
	start=$$(date +%s); \
	$(PY) -m bot.launch train --out models --fixed-model-name servicekontor --quiet && \
	echo "$$(( $$(date +%s) - start )) s ($$how)" > models/training-seconds.txt && \
	echo "Training took $$(cat models/training-seconds.txt)."
	@touch $@

# The settings in .env (or the file ENV_FILE names) count for every step, as honcho gives them to
# the processes: a DATABASE_URL set only there must be the database that is migrated.
ENV_FILE ?= .env
WITH_ENV = set -a; if [ -f "$(ENV_FILE)" ]; then . "$(abspath $(ENV_FILE))"; fi; set +a;

# The database up to date, and the starter answer catalogue (data/answers) in the library; never
# over the municipality's edits.
migrate: setup
	@mkdir -p var
	@$(WITH_ENV) $(PY) -m bot.db upgrade && $(PY) -m bot.answers load

run: setup train migrate
	@echo ""
	@echo "Servicekontor-assistenten starter (Ctrl-C stopper alt)."
	@echo "  Chat (REST):  curl -XPOST localhost:5005/webhooks/rest/webhook -d '{\"sender\":\"a\",\"message\":\"Når er dere åpne?\"}'"
	@echo "  Chat i terminal:  make shell"
	@echo "  Socket.IO for nettsidechat: http://localhost:5005/socket.io"
	@echo "  Nettsidechat (demo): http://localhost:$(DESK_PORT)/demo"
	@echo "  Saksbehandling (desk):  http://localhost:$(DESK_PORT)/"
	@echo "    Første administrator:  $(PY) -m bot.desk create-user --role admin"
	@echo "  Svarene boten gir (redaktører):  http://localhost:$(DESK_PORT)/svar"
	@echo "    Redaktør:  $(PY) -m bot.desk create-user --role editor, eller «Gjør til redaktør» under Brukere"
	@echo "    API-nøkkel til saksystemet:  $(PY) -m bot.desk create-token BRUKERNAVN"
	@echo "  Drift: helse på /health/ready og målinger på /metrics (portene 5005, 5055, $(DESK_PORT)); se docs/drift.md"
	@# Never the password: the URL as SQLAlchemy shows it, with *** in its place.
	@$(WITH_ENV) echo "  Database: $$($(PY) -c 'import os, sqlalchemy; print(repr(sqlalchemy.engine.make_url(os.environ["DATABASE_URL"])))')"
	@echo ""
	exec $(VENV)/bin/honcho start -f Procfile -e "$(ENV_FILE)"

# Its own port, so that it runs beside `make run` (whose Rasa server holds 5005).
SHELL_PORT ?= 5006
shell: setup train
	$(PY) -m bot.launch shell --model $(MODEL) --endpoints endpoints.yml --credentials credentials.yml --port $(SHELL_PORT)

test: setup train
	@# axe-core for the chat widget's accessibility test (tests/package.json); without npm that test is skipped.
	@if [ ! -d tests/node_modules ] && command -v npm >/dev/null; then \
		npm ci --prefix tests --no-audit --no-fund || echo "npm ci failed: the widget's axe test will be skipped"; fi
	$(PY) -m pytest tests -q -rs --durations=25

# Checks kommune.yml (or the file KOMMUNE_FILE names): every answer filled, clear language, links, phone.
check-kommune: setup
	$(PY) -m bot.kommune_check

lint: setup
	$(VENV)/bin/ruff check bot actions tests bench

bench: setup train
	$(PY) bench/conversations.py

# The trained model goes at once; the database (tickets, conversations, the answer library) only
# when the operator types «slett».
clean:
	rm -rf models results
	@if ls var/*.db >/dev/null 2>&1; then \
		echo "Databasen i var/ har sakene, samtalene og svarbiblioteket: $$(ls var/*.db)"; \
		read -r -p "Skriv «slett» for å slette den: " answer || answer=""; \
		if [ "$$answer" = "slett" ]; then rm -f var/*.db var/*.db-wal var/*.db-shm; echo "Slettet."; \
		else echo "Databasen er ikke slettet."; fi; \
	fi
