// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { IERC20 } from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import { SafeERC20 } from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import { ReentrancyGuardTransient } from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import { IPayouts } from "../interfaces/IPayouts.sol";
import { Errors } from "../libraries/Errors.sol";

/// @title Payouts
/// @notice The payouts of {RoyaltyVault} and {AttributionEpochs}, written once: a claim's transfer that may fail and
/// is then credited to the author, a strict transfer for what a caller asked for directly, and the credits' books.
/// See {IPayouts}.
abstract contract Payouts is IPayouts, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////////////////
                                     CONSTANTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPayouts
    uint256 public constant override ETH_PAYOUT_GAS = 50_000;

    /*//////////////////////////////////////////////////////////////////////////
                                      STORAGE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Payouts whose transfer failed, per payee and token, in the token's smallest unit.
    mapping(address account => mapping(address token => uint256 amount)) internal _deferred;

    /// @dev The sum of `_deferred` per token.
    mapping(address token => uint256 amount) internal _deferredTotal;

    /*//////////////////////////////////////////////////////////////////////////
                                 CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPayouts
    function deferredOf(address account, address token) external view override returns (uint256 amount) {
        amount = _deferred[account][token];
    }

    /*//////////////////////////////////////////////////////////////////////////
                               INTERNAL FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Withdraws the caller's credit of `token` to `to`, a recipient the caller has checked is not zero.
    function _withdrawDeferred(address token, address to) internal {
        // Checks
        uint256 amount = _deferred[msg.sender][token];
        if (amount == 0) revert Errors.Payouts_NoDeferred(msg.sender, token);

        // Effects
        delete _deferred[msg.sender][token];
        _deferredTotal[token] -= amount;
        emit DeferredWithdrawn(token, msg.sender, to, amount);

        // Interactions
        _payStrict(token, to, amount);
    }

    /// @dev Credits a failed payout of one contribution to its author.
    function _defer(
        uint256 poolId,
        bytes32 contributionId,
        address author,
        address token,
        address recipient,
        uint256 amount
    ) internal {
        _deferred[author][token] += amount;
        _deferredTotal[token] += amount;
        emit PayoutDeferred(poolId, contributionId, author, token, recipient, amount);
    }

    /// @dev Pays a claim; returns whether the transfer succeeded. A transfer that fails (a reverting, re-entering or
    /// gas-hungry ETH receiver, a blocklisted or `false`-returning token recipient) is credited to the author by the
    /// caller instead ({_defer}), so one bad payee never reverts anyone else's claim. ETH gets ETH_PAYOUT_GAS and its
    /// return data is never copied.
    function _pay(address token, address to, uint256 amount) internal returns (bool success) {
        if (token == address(0)) {
            // A caller that starves the call could force a deferral: require the gas the receiver is promised.
            uint256 needed = ETH_PAYOUT_GAS + ETH_PAYOUT_GAS / 63 + 10_000;
            if (gasleft() < needed) revert Errors.Payouts_InsufficientGas(gasleft(), needed);
            assembly ("memory-safe") {
                success := call(ETH_PAYOUT_GAS, to, amount, 0, 0, 0, 0)
            }
        } else {
            success = IERC20(token).trySafeTransfer(to, amount);
        }
    }

    /// @dev Pays what the caller asked for directly (fees, deferred payouts, reclaims): a failure reverts.
    function _payStrict(address token, address to, uint256 amount) internal {
        if (token == address(0)) {
            (bool success, ) = to.call{ value: amount }("");
            if (!success) revert Errors.Payouts_EthTransferFailed(to, amount);
        } else if (!IERC20(token).trySafeTransfer(to, amount)) {
            revert Errors.Payouts_TokenTransferFailed(token, to, amount);
        }
    }
}
