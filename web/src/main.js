import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import router from './router.js'
import { installUi } from './ui.js'
import { setUnauthenticatedHandler } from './api.js'
import { forget } from './session.js'

setUnauthenticatedHandler(() => {
  forget()
  const here = router.currentRoute.value
  if (here.name !== 'login') router.replace({ name: 'login', query: { redirect: here.fullPath } })
})

createApp(App).use(router).use(installUi).mount('#app')
