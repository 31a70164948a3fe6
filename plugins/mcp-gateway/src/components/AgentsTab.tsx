import { Route, Routes } from 'react-router-dom';
import { AgentDetailPage } from './AgentDetailPage/AgentDetailPage';
import { AgentsPage } from './AgentsPage/AgentsPage';

/** The Agents tab: the list at its root, one agent below it (`agents/:id`). */
export function AgentsTab() {
  return (
    <Routes>
      <Route index element={<AgentsPage />} />
      <Route path=":id" element={<AgentDetailPage />} />
    </Routes>
  );
}
