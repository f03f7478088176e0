// The tabcorr command-line tool: parses arguments and hands off to Lab.
import Lab
