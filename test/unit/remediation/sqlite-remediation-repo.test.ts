import { openSqliteRemediationRepo } from '../../../store/remediation/sqlite-remediation-repo.ts';
import { describeRemediationRepo } from './remediation-repo-suite.ts';

describeRemediationRepo('sqlite', async () => openSqliteRemediationRepo(':memory:'));
