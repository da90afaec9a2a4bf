"""The runner: what executes the notebooks, and nothing a notebook author needs to read.

``notebooks/runs.yaml`` lists notebook × parameter sets. ``python -m lib run``:

1. reads the manifest and checks every run's parameters against the notebook's ``parameters``
   cell (papermill's inspection), and validates ``data/`` once, before any kernel starts
   (``manifest.py``);
2. executes the runs with papermill's Python API in worker processes (default one per core),
   each writing its executed notebook, an HTML rendering, its charts, CSVs and results JSON into
   ``<build>/<run id>/`` (a failed attempt into ``<build>/failed/<run id>/``); a failing run
   does not stop the others, a hung cell hits the timeout (``build.py``; each worker's kernels
   are ``pool.py``'s, forked by ``kernels.py``'s fork server);
3. keeps from the previous build every run it did not execute, and the last good output of a
   run that failed now (hard links);
4. writes ``<build>/index.html`` (every run: title, first finding, charts, status, when it was
   last built; failures first), ``<build>/runs.json`` and ``<build>/fonts/`` (the subset of
   Noto Sans SC every page uses) (``pages.py``);
5. builds into a temporary folder beside the build and exchanges it with the old one only when
   complete. Ctrl-C, SIGTERM or SIGHUP leave the previous build intact and no process running;
   if the main process is killed outright, its workers die with it (Linux's parent-death
   signal), their fork servers, proxies and kernels end by themselves, and the next run
   removes the partial folder.

``python -m lib store-notebooks`` (``store.py``) re-executes the notebooks in place so their
stored outputs come from a scripted run. ``cli.py`` registers both subcommands.
"""
