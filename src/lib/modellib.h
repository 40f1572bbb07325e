/* modellib.h: the Model userdata, for the C modules that take a model
 * (loss, grad, optim, fit, scan). */
#ifndef LUAGRAD_MODELLIB_H
#define LUAGRAD_MODELLIB_H

#include <lua.h>

#include "core/model.h"

#define MODEL_MT "Model"

Model *lib_checkmodel(lua_State *L, int idx);
Model *lib_tomodel(lua_State *L, int idx);  /* NULL when not a model */
Model *lib_isclosedmodel(lua_State *L, int idx);  /* a model that was closed */

/* Pushes {w = ..., b = ...} with values laid out like m's parameters (w is
 * a tensor for a multi model). */
void lib_push_param_table(lua_State *L, const Model *m, const double *values);

/* Raises "fname: model parameter w is inf: training diverged ..." when a
 * parameter is not finite. */
void lib_check_params_finite(lua_State *L, const char *fname, const Model *m);

/* A model and its data, checked for fname: x at xidx (a vector, or an n x d
 * matrix for a multi model; Lua tables are converted), y at yidx (a vector of
 * n), n >= 1, every value finite, and the model's parameters finite. */
typedef struct ModelData {
    Model *m;
    const double *x, *y;
    size_t n;
} ModelData;
ModelData lib_check_model_data(lua_State *L, const char *fname, int midx, int xidx, int yidx);

/* The same without the scans for inf and nan: for a pass whose result is
 * not finite whenever one of its inputs is not (a sum of squared residuals:
 * inf or nan in x, y or a parameter makes a residual inf or nan, and the
 * sum with it). Such a caller scans only when its result is not finite,
 * with lib_recheck_model_data, which raises what lib_check_model_data would
 * have raised before the pass, and returns when all was finite (then the
 * result overflowed). One pass over the data instead of two, and nothing
 * to remember about tensors written since. */
ModelData lib_check_model_shape(lua_State *L, const char *fname, int midx, int xidx, int yidx);
void lib_recheck_model_data(lua_State *L, const char *fname, const ModelData *d);

#endif
