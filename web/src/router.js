// Hash history: every page is "/" to the server, so the binary needs no SPA fallback route and
// a reload or a pasted link always works.
import { createRouter, createWebHashHistory } from 'vue-router'
import { ensureSession } from './session.js'

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('./views/LayoutView.vue'),
    children: [
      { path: '', redirect: { name: 'overview' } },
      { path: 'overview', name: 'overview', component: () => import('./views/DashboardView.vue') },
      { path: 'divisions/:code', name: 'division', component: () => import('./views/DivisionView.vue') },
      { path: 'villages/:code', name: 'village', component: () => import('./views/VillageView.vue') },
      { path: 'people', name: 'people', component: () => import('./views/PeopleView.vue') },
      { path: 'assess', name: 'assess', component: () => import('./views/AssessView.vue') },
      { path: 'assess/sets', name: 'assess-sets', component: () => import('./views/AssessSetsView.vue') },
      { path: 'assess/evidence', name: 'assess-evidence', component: () => import('./views/AssessEvidenceView.vue') },
      { path: 'assess/appeals', name: 'assess-appeals', component: () => import('./views/AssessAppealsView.vue') },
      { path: 'dispatch', name: 'dispatch', component: () => import('./views/DispatchNeedsView.vue') },
      { path: 'dispatch/cadres', name: 'dispatch-cadres', component: () => import('./views/DispatchCadresView.vue') },
      { path: 'dispatch/rounds', name: 'dispatch-rounds', component: () => import('./views/DispatchRoundsView.vue') },
      { path: 'dispatch/rounds/:id(\\d+)', name: 'dispatch-round', component: () => import('./views/DispatchRoundView.vue') },
      { path: 'dispatch/projects', name: 'dispatch-projects', component: () => import('./views/DispatchProjectsView.vue') },
      { path: 'dispatch/enterprises', name: 'dispatch-enterprises', component: () => import('./views/DispatchEnterprisesView.vue') },
      { path: 'dispatch/terms', name: 'dispatch-terms', component: () => import('./views/DispatchTermsView.vue') },
      { path: 'economy', name: 'economy', component: () => import('./views/EconomyView.vue') },
      { path: 'economy/villages/:code(\\d{12})', name: 'economy-village', component: () => import('./views/EconomyVillageView.vue') },
      { path: 'linkage', name: 'linkage', component: () => import('./views/LinkageView.vue') },
      { path: 'linkage/calculator', name: 'linkage-calculator', component: () => import('./views/LinkageCalculatorView.vue') },
      { path: 'cultivation', name: 'cultivation', component: () => import('./views/CultivationTalentView.vue') },
      { path: 'cultivation/pipeline', name: 'cultivation-pipeline', component: () => import('./views/CultivationPipelineView.vue') },
      { path: 'cultivation/training', name: 'cultivation-training', component: () => import('./views/CultivationTrainingView.vue') },
      { path: 'cultivation/people/:id(\\d+)', name: 'cultivation-person', component: () => import('./views/CultivationPersonView.vue') },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue') },
    ],
  },
]

const router = createRouter({ history: createWebHashHistory(), routes })

router.beforeEach(async (to) => {
  const user = await ensureSession()
  if (to.meta.public) return user && to.name === 'login' ? { name: 'overview' } : true
  if (!user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  return true
})

export default router
