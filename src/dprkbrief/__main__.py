from dprkbrief.cli import main
import sys
sys.exit(main())
