from egovpm.cli import main

raise SystemExit(main())
