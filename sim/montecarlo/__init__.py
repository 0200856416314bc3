"""Monte Carlo batches: resumable runs on any executor, parameter draws, summaries, scorecard, fan charts."""
